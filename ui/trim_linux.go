//go:build linux && cgo

package ui

// #include <malloc.h>
import "C"

// trimCHeap returns free pages of glibc's malloc arenas to the system: the
// GL driver (Mesa) allocates textures and compiled shaders there and glibc
// keeps what it frees unless asked.
func trimCHeap() { C.malloc_trim(0) }
