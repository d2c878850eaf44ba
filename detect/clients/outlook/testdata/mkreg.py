#!/usr/bin/env python3
"""Writes the .reg fixtures of this directory (run: python3 mkreg.py).

The files are UTF-16LE with a byte-order mark, as regedit exports them
(Wine's `reg import`, like regedit, reads hex(2) data of a 5.00 file as
UTF-16 only in a UTF-16 file). The values are typed as Outlook, Windows Live Mail, Outlook Express and
Windows store them (shared/research/detection.md §2.3-2.5): Outlook 2007+
strings as REG_BINARY UTF-16LE with a trailing NUL (LaZagne issue #98 dump,
OpaqueMail Form1.Save.cs), ports and security as REG_DWORD; Outlook Express
strings as REG_SZ. The files use regedit's "Windows Registry Editor Version
5.00" syntax, which both system.ParseReg and `wine reg import` read.
"""

def b16(s):
    data = (s + "\0").encode("utf-16-le")
    return "hex:" + ",".join("%02x" % c for c in data)

def hex2(s):  # REG_EXPAND_SZ
    data = (s + "\0").encode("utf-16-le")
    return "hex(2):" + ",".join("%02x" % c for c in data)

def sz(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def dword(n):
    return "dword:%08x" % n

def write(name, keys):
    out = ["Windows Registry Editor Version 5.00", ""]
    for key, values in keys:
        out.append("[" + key + "]")
        for k, v in values:
            out.append(("@" if k == "" else sz(k)) + "=" + v)
        out.append("")
    text = "\r\n".join(out) + "\r\n"
    open(name, "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))

IAM = "9375CFF0413111d3B88A00104B2A6676"
HKCU, HKLM = "HKEY_CURRENT_USER", "HKEY_LOCAL_MACHINE"

# Outlook 2010 (14.0, MSI) on Windows 7: profile under Windows Messaging
# Subsystem; IMAP with no encryption on 143 (Use SSL 0), SMTP TLS=STARTTLS on 587.
WMS = HKCU + r"\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles"
write("outlook2010.reg", [
    (HKLM + r"\SOFTWARE\Microsoft\Office\14.0\Outlook\InstallRoot", [("Path", sz(r"C:\Program Files\Microsoft Office\Office14"))]),
    (HKLM + r"\SOFTWARE\Microsoft\Office\14.0\Outlook", [("Bitness", sz("x86"))]),
    (WMS, [("DefaultProfile", sz("Outlook"))]),
    (WMS + "\\Outlook\\" + IAM, [("NextAccountID", dword(3))]),
    (WMS + "\\Outlook\\" + IAM + "\\00000002", [
        ("Account Name", b16("mario.rossi@maildoctor.example")),
        ("Display Name", b16("Mario Rossi")),
        ("Email", b16("mario.rossi@maildoctor.example")),
        ("IMAP Server", b16("imap.maildoctor.example")),
        ("IMAP User", b16("mario.rossi@maildoctor.example")),
        ("IMAP Port", dword(143)),
        ("IMAP Use SSL", dword(0)),
        ("SMTP Server", b16("smtp.maildoctor.example")),
        ("SMTP Port", dword(587)),
        ("SMTP Secure Connection", dword(2)),
        ("SMTP Use Auth", dword(1)),
        ("clsid", sz("{ED475412-B0D6-11D2-8C3B-00104B2A6676}")),
    ]),
    # A second profile with a POP3 account and no ports stored.
    (WMS + "\\Casa\\" + IAM + "\\00000001", [
        ("Account Name", b16("Casa")),
        ("SMTP Email Address", b16("casa@altrodominio.example")),
        ("POP3 Server", b16("pop.altrodominio.example")),
        ("POP3 User", b16("casa")),
        ("SMTP Server", b16("smtp.altrodominio.example")),
        ("clsid", sz("{ED475411-B0D6-11D2-8C3B-00104B2A6676}")),
    ]),
])

# Outlook 2016 / Microsoft 365 Click-to-Run on Windows 10: profiles under
# Office\16.0; IMAP SSL 993, SMTP Auto (3) on 587; plus an Exchange account.
O16 = HKCU + r"\Software\Microsoft\Office\16.0\Outlook\Profiles"
write("outlook2016.reg", [
    (HKLM + r"\SOFTWARE\Microsoft\Office\ClickToRun\Configuration", [
        ("VersionToReport", sz("16.0.17126.20132")),
        ("ProductReleaseIds", sz("O365ProPlusRetail")),
        ("Platform", sz("x64")),
        ("InstallationPath", sz(r"C:\Program Files\Microsoft Office")),
    ]),
    (HKCU + r"\Software\Microsoft\Office\16.0\Outlook", [("DefaultProfile", sz("Outlook"))]),
    (O16 + "\\Outlook\\" + IAM + "\\00000003", [
        ("Account Name", b16("anna.bianchi@maildoctor.example")),
        ("Email", b16("anna.bianchi@maildoctor.example")),
        ("IMAP Server", b16("imap.maildoctor.example")),
        ("IMAP User", b16("anna.bianchi@maildoctor.example")),
        ("IMAP Port", dword(993)),
        ("IMAP Use SSL", dword(1)),
        ("SMTP Server", b16("smtp.maildoctor.example")),
        ("SMTP Port", dword(587)),
        ("SMTP Secure Connection", dword(3)),
        ("clsid", sz("{ED475412-B0D6-11D2-8C3B-00104B2A6676}")),
    ]),
    (O16 + "\\Outlook\\" + IAM + "\\00000004", [
        ("Account Name", b16("Ufficio (Exchange)")),
        ("clsid", sz("{ED475414-B0D6-11D2-8C3B-00104B2A6676}")),
    ]),
    (HKCU + r"\Software\Microsoft\Windows\Shell\Associations\UrlAssociations\mailto\UserChoice", [("ProgId", sz("Outlook.URL.mailto.15"))]),
])

# Windows Live Mail 2012: the store root points to the .oeaccount files.
write("livemail.reg", [
    (HKCU + r"\Software\Microsoft\Windows Live Mail", [
        ("Store Root", hex2(r"%LOCALAPPDATA%\Microsoft\Windows Live Mail")),
        ("Default Mail Account", sz("account{5B2C6F2A-1D3E-4C8B-9F00-2D8E5A7B1C11}.oeaccount")),
    ]),
    (HKCU + r"\Software\Clients\Mail", [("", sz("Windows Live Mail"))]),
])

# Outlook Express 6 on XP: REG_SZ strings, DWORD ports.
write("outlookexpress.reg", [
    (HKCU + r"\Identities", [("Default User ID", sz("{1F2E3D4C-0000-1111-2222-333344445555}"))]),
    (HKCU + r"\Identities\{1F2E3D4C-0000-1111-2222-333344445555}\Software\Microsoft\Internet Account Manager\Accounts\00000001", [
        ("Account Name", sz("pop.maildoctor.example")),
        ("POP3 Server", sz("pop.maildoctor.example")),
        ("POP3 User Name", sz("vecchio@maildoctor.example")),
        ("POP3 Port", dword(110)),
        ("SMTP Server", sz("smtp.maildoctor.example")),
        ("SMTP Port", dword(25)),
        ("SMTP Secure Connection", dword(1)),
        ("SMTP Email Address", sz("vecchio@maildoctor.example")),
        ("SMTP Display Name", sz("Vecchio")),
    ]),
    (HKLM + r"\SOFTWARE\Microsoft\Outlook Express", [("InstallRoot", hex2(r"%ProgramFiles%\Outlook Express"))]),
])

# Windows 7 with TLS 1.2 switched off for clients, and WinHTTP without TLS 1.2.
SCH = HKLM + r"\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols"
write("schannel-tls12-off.reg", [
    (SCH + r"\TLS 1.2\Client", [("DisabledByDefault", dword(1)), ("Enabled", dword(1))]),
    (SCH + r"\TLS 1.1\Client", [("DisabledByDefault", dword(0)), ("Enabled", dword(1))]),
])
write("schannel-tls12-on.reg", [
    (SCH + r"\TLS 1.2\Client", [("DisabledByDefault", dword(0)), ("Enabled", dword(0xffffffff))]),
    (HKLM + r"\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp", [("DefaultSecureProtocols", dword(0xA00))]),
])
