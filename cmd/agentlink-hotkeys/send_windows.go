package main

import (
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// send asks AgentLink to do verb: its instance file (readable by this
// user only) holds the loopback port and the secret a request starts with.
func send(file, verb string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	addr, secret, ok := strings.Cut(strings.TrimSpace(string(b)), " ")
	if !ok {
		return fmt.Errorf("instance file %s is malformed", file)
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	return request(c, secret+"\n", verb)
}
