package core

// String returns the kind's name, for logs.
func (k UpdateKind) String() string {
	switch k {
	case UpdateAgent:
		return "Agent"
	case UpdateDialog:
		return "Dialog"
	case UpdateDialogRemoved:
		return "DialogRemoved"
	case UpdateSystem:
		return "System"
	case UpdateError:
		return "Error"
	case UpdateResync:
		return "Resync"
	}
	return "Unknown"
}
