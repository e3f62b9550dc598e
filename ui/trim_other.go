//go:build !linux || !cgo

package ui

// trimCHeap does nothing where the C heap is not glibc's.
func trimCHeap() {}
