package main

import (
	"github.com/spf13/cobra"
)

func newFixCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "fix [flags] PATH... | -",
		Short: "Apply fixes (see 'wslint fix --help')",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr("fix: not implemented yet")
		},
	}
}
