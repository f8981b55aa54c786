//go:build tools

// Package tools pins the Go programs that `npm run engine` builds.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
