package discover

// Profile files shaped like the ones found in the wild, shared by the
// table tests and as fuzz seeds.

// hosterFile is the recommended hoster file from the research notes
// (anchors.md §3.1): implicit TLS first, STARTTLS as fallback.
const hosterFile = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="hoster.example">
    <domain>%EMAILDOMAIN%</domain>
    <displayName>Hoster Mail</displayName>
    <displayShortName>Hoster</displayShortName>
    <incomingServer type="imap"><hostname>imap.hoster.example</hostname><port>993</port>
      <socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>
    <incomingServer type="imap"><hostname>imap.hoster.example</hostname><port>143</port>
      <socketType>STARTTLS</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>
    <incomingServer type="pop3"><hostname>pop.hoster.example</hostname><port>995</port>
      <socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username>
      <pop3><leaveMessagesOnServer>true</leaveMessagesOnServer></pop3></incomingServer>
    <outgoingServer type="smtp"><hostname>smtp.hoster.example</hostname><port>465</port>
      <socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>
    <outgoingServer type="smtp"><hostname>smtp.hoster.example</hostname><port>587</port>
      <socketType>STARTTLS</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>
    <documentation url="https://help.hoster.example/mail-settings"><descr lang="en">Mail settings</descr></documentation>
  </emailProvider>
  <webMail><loginPage url="https://webmail.hoster.example/"/></webMail>
</clientConfig>
`

// ispdbFile looks like a Thunderbird ISPDB entry: several domains, the
// local part as user name, a webmail login form, the old enable and
// instruction elements, and server types Mail Doctor does not test.
const ispdbFile = `<?xml version="1.0"?>
<clientConfig version="1.1">
    <emailProvider id="posta.example.it">
      <domain>posta.example.it</domain>
      <domain>Example.NET</domain>
      <domain>esempio.it</domain>
      <domain>caffè.it</domain>
      <displayName>Posta Esempio</displayName>
      <displayShortName>Esempio</displayShortName>
      <incomingServer type="exchange">
         <hostname>outlook.example.it</hostname>
         <port>443</port>
         <username>%EMAILADDRESS%</username>
         <socketType>SSL</socketType>
         <authentication>OAuth2</authentication>
         <owaURL>https://outlook.example.it/owa/</owaURL>
      </incomingServer>
      <incomingServer type="imap">
         <hostname>imapmail.example.it</hostname>
         <port>993</port>
         <socketType>SSL</socketType>
         <username>%EMAILLOCALPART%</username>
         <authentication>password-encrypted</authentication>
         <authentication>password-cleartext</authentication>
      </incomingServer>
      <incomingServer type="pop3">
         <hostname>popmail.example.it</hostname>
         <port>995</port>
         <socketType>SSL</socketType>
         <username>%EMAILLOCALPART%</username>
         <authentication>password-cleartext</authentication>
         <pop3>
            <leaveMessagesOnServer>true</leaveMessagesOnServer>
            <daysToLeaveMessagesOnServer>14</daysToLeaveMessagesOnServer>
            <checkInterval minutes="15"/>
         </pop3>
      </incomingServer>
      <incomingServer type="nntp">
         <hostname>news.example.it</hostname>
         <port>119</port>
         <socketType>plain</socketType>
      </incomingServer>
      <outgoingServer type="smtp">
         <hostname>smtpmail.example.it</hostname>
         <port>465</port>
         <socketType>SSL</socketType>
         <username>%EMAILLOCALPART%</username>
         <authentication>password-cleartext</authentication>
         <restriction>client-IP-address</restriction>
         <addThisServer>true</addThisServer>
         <useGlobalPreferredServer>false</useGlobalPreferredServer>
      </outgoingServer>
      <identity/>
      <inputField key="USERNAME" label="Screen name">johnsmith</inputField>
      <enable visiturl="https://mail.example.it/settings/imap">
         <instruction lang="en">Enable IMAP in the web settings first.</instruction>
         <instruction lang="it">Attiva prima IMAP nelle impostazioni web.</instruction>
      </enable>
      <documentation url="https://assistenza.example.it/posta/imap">
         <descr lang="it">Configurare la posta
            con IMAP</descr>
         <descr lang="en">Setting up IMAP</descr>
      </documentation>
      <documentation url="javascript:alert(1)">
         <descr lang="en">Not a link to follow</descr>
      </documentation>
    </emailProvider>
    <webMail>
      <loginPage url="https://mail.example.it/login" />
      <loginPageInfo url="https://mail.example.it/login">
        <username>%EMAILADDRESS%</username>
        <usernameField id="user" name="login" />
        <passwordField name="password" />
        <loginButton id="submit" />
      </loginPageInfo>
    </webMail>
    <clientConfigUpdate url="https://www.example.it/config/mail.xml" />
</clientConfig>
`

// draftFile uses autoconfig draft 1.2 elements and types Mail Doctor
// does not know, which must be ignored, a namespace, an MX domain, and a
// socketType list whose first value is unknown.
const draftFile = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.2" xmlns:x="urn:example:extension">
  <oAuth2>
    <issuer>auth.example.org</issuer>
    <scope>mail calendar</scope>
    <authURL>https://auth.example.org/authorize</authURL>
  </oAuth2>
  <emailProvider id="example.org">
    <domain>example.org</domain>
    <domain purpose="mx">mx.example-mail.net</domain>
    <displayName>Example Org</displayName>
    <x:shiny>ignored</x:shiny>
    <incomingServer type="jmap">
      <url>https://jmap.example.org/session</url>
      <authentication>OAuth2</authentication>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>mail.example.org</hostname>
      <port>993</port>
      <socketType>QUIC</socketType>
      <socketType>TLS</socketType>
      <authentication>SASL SCRAM-SHA-256-PLUS</authentication>
      <username>%EMAILADDRESS%</username>
      <futureThing a="b"><nested/></futureThing>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>mail.example.org</hostname>
      <port>143</port>
      <socketType>bogus</socketType>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>mail.example.org</hostname>
      <socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
  <calendar type="caldav"><url>https://dav.example.org/</url></calendar>
  <addressbook type="carddav"><url>https://dav.example.org/</url></addressbook>
</clientConfig>
`

// plainFile is an old, unencrypted-only configuration.
const plainFile = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="old.example">
    <domain>old.example</domain>
    <incomingServer type="pop3">
      <hostname>mail.old.example</hostname>
      <port>110</port>
      <socketType>plain</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>mail.old.example</hostname>
      <port>25</port>
      <socketType>plain</socketType>
      <authentication>none</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
`

// placeholderHostFile names servers after the customer's own domain, as
// shared hosting control panels do.
const placeholderHostFile = `<clientConfig version="1.1">
  <emailProvider id="panel">
    <domain>%EmailDomain%</domain>
    <incomingServer type="imap"><hostname>Mail.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username></incomingServer>
    <outgoingServer type="smtp"><hostname>mail.%emaildomain%.</hostname><port>465</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%@%EMAILDOMAIN%</username></outgoingServer>
  </emailProvider>
</clientConfig>
`

func seedFiles() []string {
	return []string{hosterFile, ispdbFile, draftFile, plainFile, placeholderHostFile, extFile,
		`<clientConfig><emailProvider id="x"><domain>a.b</domain><incomingServer type="imap"><hostname>h.a.b</hostname><port>99999</port><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>`,
		`<clientConfig version="1.1"><emailProvider id="x"><domain>a.b</domain><incomingServer type="imap">`,
		`<html><body>not found</body></html>`,
	}
}

// extFile carries every element of Mail Doctor's extension, plus things
// a later version might add, which must be skipped.
const extFile = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="brand.example">
    <domain>brand.example</domain>
    <displayName>Brand Mail</displayName>
    <incomingServer type="imap"><hostname>imap.brand-mail.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
    <outgoingServer type="smtp"><hostname>smtp.brand-mail.example</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>
    <maildoctor xmlns="https://maildoctor.app/ns/profile/1">
      <brand>  Brand   Hosting
        S.r.l. </brand>
      <support>
        <email>Aiuto@Brand.Example</email>
        <phone>+39 (02) 1234-5678</phone>
        <url>https://www.brand.example/aiuto</url>
        <chat>https://chat.brand.example/</chat>
      </support>
      <starttlsEnds>2026-12-31</starttlsEnds>
      <minTLS>1.2</minTLS>
      <sendLimit messages="100" per="hour"/>
      <sendLimit messages=" 1000 " per="Day"/>
      <providerDomain>Brand-Mail.Example.</providerDomain>
      <providerDomain>brand.example</providerDomain>
      <futureElement>skipped</futureElement>
    </maildoctor>
    <maildoctor xmlns="https://maildoctor.app/ns/profile/2"><brand>a later format</brand></maildoctor>
  </emailProvider>
</clientConfig>
`
