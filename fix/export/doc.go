// Package export writes the right settings of an account (plan.Settings)
// in the forms a customer or provider can use elsewhere: a Thunderbird
// autoconfig file (config-v1.1.xml), an Apple configuration profile
// (.mobileconfig) for iPhone, iPad and Mac, a plain settings card to keep,
// and the Windows 7/8 registry file that switches TLS 1.1 and 1.2 on.
//
// Nothing here writes a password: the formats all allow leaving it out, and
// the mail program asks for it.
package export
