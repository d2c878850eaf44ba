// Package plan turns what Mail Doctor found into what the customer does:
// the right settings for the address (one implicit-TLS server per protocol,
// RFC 8314), and ordered steps for the customer's own mail program and
// version, each naming the menu path and the exact value to type.
//
// The plan holds translation keys and their arguments, not text: Localize
// renders it in the customer's language, so the app, the command line and
// the support report show the same steps. After-effects (the password asked
// again, POP3 duplicates, sent mail only on one device) are said before the
// change, not discovered after it. A program or system that cannot reach
// the provider any more gets a kind explanation, the way out and webmail.
package plan
