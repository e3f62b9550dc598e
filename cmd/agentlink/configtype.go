package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// tomlTypeErr matches the TOML library's wrong-type message, e.g.
// `toml: line 3 (last key "finesse.agent_id"): incompatible types: TOML
// value has type int64; destination has type string`.
var tomlTypeErr = regexp.MustCompile(`line (\d+) \(last key "([^"]+)"\): incompatible types: TOML value has type (\S+); destination has type (\S+)`)

// typeMessage rewrites a wrong-type error in agent-administrator words:
// which key, what it must look like and an example line. An agent_id
// written as a number (agent_id = 1001) is the usual case. ok is false for
// any other error.
func typeMessage(path string, err error) (msg string, ok bool) {
	m := tomlTypeErr.FindStringSubmatch(err.Error())
	if m == nil {
		return "", false
	}
	line, key, dst := m[1], m[2], m[4]
	leaf := key[strings.LastIndex(key, ".")+1:]
	var want string
	switch {
	case dst == "string":
		want = fmt.Sprintf("must be text in double quotes, for example %s = %q", leaf, exampleValue(leaf))
	case strings.HasPrefix(dst, "int") || strings.HasPrefix(dst, "uint"):
		want = fmt.Sprintf("must be a number without quotes, for example %s = %s", leaf, exampleValue(leaf))
	case dst == "bool", dst == "boolean":
		want = fmt.Sprintf("must be true or false without quotes, for example %s = false", leaf)
	case strings.HasPrefix(dst, "[]"):
		want = fmt.Sprintf("must be a list of quoted texts, for example %s = [\"https://crm.example.com\"]", leaf)
	default:
		want = "has the wrong type (" + dst + ")"
	}
	return fmt.Sprintf("%s line %s: %s %s", filepath.Base(path), line, key, want), true
}

// exampleValue is a plausible value for a key, for the examples above.
func exampleValue(leaf string) string {
	switch leaf {
	case "agent_id":
		return "1001"
	case "extension":
		return "5001"
	case "xmpp_port":
		return "5223"
	case "side_a", "side_b":
		return "finesse-a.example.com"
	}
	return "..."
}
