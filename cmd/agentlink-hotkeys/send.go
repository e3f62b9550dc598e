package main

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"time"
)

// requestTimeout bounds one request to AgentLink; a command to Finesse
// behind it takes a few seconds at most.
const requestTimeout = 15 * time.Second

// request sends verb on c (after any preamble, e.g. a secret) and reads
// AgentLink's one-line answer: "ok", or why not.
func request(c net.Conn, preamble, verb string) error {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(requestTimeout))
	if _, err := fmt.Fprint(c, preamble+verb+"\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return fmt.Errorf("AgentLink did not answer: %w", err)
	}
	if line = strings.TrimSpace(line); line != "ok" {
		return fmt.Errorf("AgentLink answered: %s", line)
	}
	return nil
}
