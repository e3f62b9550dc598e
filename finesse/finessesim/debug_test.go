package finessesim

import (
	"log/slog"
	"os"
	"testing"
)

func TestDebugConnect(t *testing.T) {
	s := startSim(t, Config{Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	c, err := newGoXMPP(s, NodeA, "1001", "secret1", true)
	t.Log(err)
	v, err := c.Recv()
	t.Logf("%#v %v", v, err)
}
