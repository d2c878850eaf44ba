package cli

import "context"

// runDetect is "maildoctor detect"; it arrives with its own issue.
func runDetect(ctx context.Context, args []string, env Env) error {
	return usagef("%q is not available in this version yet", "detect")
}
