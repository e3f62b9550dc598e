//go:build !windows

package main

import "net"

// send asks AgentLink, over its instance socket, to do verb.
func send(sock, verb string) error {
	c, err := net.Dial("unix", sock)
	if err != nil {
		return err
	}
	return request(c, "", verb)
}
