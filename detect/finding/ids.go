package finding

// The finding ids. An id never changes once released: scripts, support
// codes and the translation keys "<id>.title" and "<id>.detail" rely on it
// (a test checks that both languages have both keys for every id here).
const (
	AccountAutoSecurity = "account.auto_security"
	AccountHostMismatch = "account.host_mismatch"
	AccountPlaintext    = "account.plaintext"

	AuthError          = "auth.error"
	AuthFailed         = "auth.failed"
	AuthHostNotTrusted = "auth.host_not_trusted"
	AuthOK             = "auth.ok"
	AuthPasswordSpaces = "auth.password_spaces"
	AuthSkipped        = "auth.skipped"

	CertExpired          = "cert.expired"
	CertExpiresSoon      = "cert.expires_soon"
	CertHostnameMismatch = "cert.hostname_mismatch"
	CertIntercepted      = "cert.intercepted"
	CertNotYetValid      = "cert.not_yet_valid"
	CertSelfSigned       = "cert.self_signed"
	CertUntrusted        = "cert.untrusted"

	CheckCancelled = "check.cancelled"
	CheckDeadline  = "check.deadline"

	ClientStoreBroken     = "client.store_broken"
	ClientStoreUnreadable = "client.store_unreadable"

	ClockSkew = "clock.skew"

	DetectFailed = "detect.failed"

	DiscoveryNothingFound = "discovery.nothing_found"

	DNSFailed   = "dns.failed"
	DNSNotFound = "dns.not_found"

	EndpointOK = "endpoint.ok"

	GUIComputerFailed  = "gui.computer_failed"
	GUIPlanFailed      = "gui.plan_failed"
	GUIStartTLSClosing = "gui.starttls_closing"

	IMAPNoSentFolder    = "imap.no_sent_folder"
	IMAPQuotaNearlyFull = "imap.quota_nearly_full"

	ImplicitUnavailable = "implicit.unavailable"

	OSTLS12Disabled    = "os.tls12_disabled"
	OSTLS12Unsupported = "os.tls12_unsupported"
	OSUnreadable       = "os.unreadable"

	PlainLoginAllowed = "plain.login_allowed"

	POP3NoUIDL = "pop3.no_uidl"

	ProtocolNoAnswer   = "protocol.no_answer"
	ProtocolTooSlow    = "protocol.too_slow"
	ProtocolUnexpected = "protocol.unexpected"

	SMTPAuthNotOffered = "smtp.auth_not_offered"

	StartTLSInUse      = "starttls.in_use"
	StartTLSNotOffered = "starttls.not_offered"

	TCPRefused = "tcp.refused"
	TCPTimeout = "tcp.timeout"

	TLSHandshakeFailed = "tls.handshake_failed"
	TLSLegacyOnly      = "tls.legacy_only"
	TLSNoTLS13         = "tls.no_tls13"
)
