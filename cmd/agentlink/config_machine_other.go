//go:build !windows

package main

// defaultMachineConfigPath is /etc/agentlink/config.toml on Unix systems,
// where packages and configuration management put machine-wide settings.
func defaultMachineConfigPath() (string, error) {
	return "/etc/agentlink/config.toml", nil
}
