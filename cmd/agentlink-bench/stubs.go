package main

import (
	"context"
	"errors"
)

func runCommand(context.Context, *chain) []Row      { return []Row{failRow(2, "x", errors.New("todo"))} }
func runRate(context.Context, *chain) []Row         { return []Row{failRow(3, "x", errors.New("todo"))} }
func runSoak(context.Context, *chain, int) []Row    { return []Row{failRow(6, "x", errors.New("todo"))} }
func runFailover(context.Context) []Row             { return []Row{failRow(4, "x", errors.New("todo"))} }
func runFootprint(context.Context) []Row            { return []Row{failRow(5, "x", errors.New("todo"))} }
