package cli

import "context"

// runReport is "maildoctor report"; it arrives with its own issue.
func runReport(ctx context.Context, args []string, env Env) error {
	return usagef("%q is not available in this version yet", "report")
}
