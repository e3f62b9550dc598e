// Command agentlink-shots takes the screenshots in README and docs/images:
// the real softphone (`agentlink --demo` under the X display, captured with
// ImageMagick's import), and the reference toolbar and Connector Monitor in
// headless Chromium, all against the built-in simulator. It drives the
// session the way the tests do: calls through the simulator's control API,
// agent commands through the bridge with the bearer token.
//
// Run it with `make screenshots` (under scripts/test-env.sh, which gives a
// private Xvfb display and D-Bus session). It is not part of `make test`:
// it writes into docs/images.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/agentlink", "the agentlink binary to run with --demo")
	out := flag.String("out", "docs/images", "directory the PNG files are written to")
	width := flag.Int("width", 420, "softphone window width")
	height := flag.Int("height", 700, "softphone window height")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("screenshots: ")
	if os.Getenv("DISPLAY") == "" {
		log.Fatal("no $DISPLAY: run it through scripts/test-env.sh (make screenshots)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s := &session{out: *out, width: *width, height: *height}
	err := s.run(ctx, *bin)
	s.close()
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range s.written {
		fmt.Println(f)
	}
}
