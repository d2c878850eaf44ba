package cli

import "context"

// runFix is "maildoctor fix"; it arrives with its own issue.
func runFix(ctx context.Context, args []string, env Env) error {
	return usagef("%q is not available in this version yet", "fix")
}
