package compat

import (
	"sort"
	"testing"
)

// seedRows are the rows of the provider's original compatibility table
// (shared/seeds/003_42955bc263049878.txt), verbatim: the data must carry
// every one of them, and nothing else claims to be from it.
var seedRows = []string{
	"Windows XP e Windows Server 2003",
	"Windows Vista e Windows Server 2008",
	"Windows 7 e Windows Server 2008 R2",
	"Windows 8 e Windows Server 2012",
	"Windows 8.1 e Windows Server 2012 R2",
	"Windows 10 e Windows Server 2016",
	"Dai nostri test fatti, Outlook Express su Windows XP non funzionerà con i nuovi protocolli di sicurezza.",
	"Outlook 2013 è la versione più datata del programma compreso nella suite Microsoft Office che risulta funzionare con i nuovi protocolli di sicurezza.",
	"Le versioni successive di Outlook non hanno problemi.",
	"Airwatch",
	"Android: versione da 1.0 a 4.4.4",
	"Android: versione da 5.0 a 8.1 – Android P",
	"iPhone OS: versioni 1,2,3,4",
	"iPhone OS: versioni 5,6,7,8,9,10,11",
	"Windows Phone versioni 7, 7.5, 7.8, 8",
	"Windows Phone versione 8.1",
}

func TestEverySeedRowIsInTheData(t *testing.T) {
	kb := kbT(t)
	inData := map[string]bool{}
	for _, f := range kb.Families() {
		for _, r := range f.Rows {
			if r.Seed != nil {
				inData[r.Seed.Row] = true
			}
		}
	}
	want := map[string]bool{}
	for _, s := range seedRows {
		want[s] = true
		if !inData[s] {
			t.Errorf("seed row %q is in no data row", s)
		}
	}
	var extra []string
	for s := range inData {
		if !want[s] {
			extra = append(extra, s)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("data rows cite seed rows that are not in the seed table: %q", extra)
	}
}

// One case per seed-table row (and per system a row names), against a
// server that accepts TLS 1.2 and newer. Where the verdict departs from
// the table, the comment says why; the data row's seed_note says it too.
func TestSeedTable(t *testing.T) {
	kb := kbT(t)
	cases := []struct {
		seed, os, client string
		want             Outcome
		tls11, tls12     State
	}{
		{"Windows XP e Windows Server 2003", "Windows XP", "", Unsupported, No, No},
		{"Windows XP e Windows Server 2003", "Windows Server 2003", "", Unsupported, No, No},
		// Microsoft: Vista has no TLS 1.1/1.2 (the table's SI holds only for
		// Server 2008 SP2 after KB4019276).
		{"Windows Vista e Windows Server 2008", "Windows Vista", "", Unsupported, No, No},
		{"Windows Vista e Windows Server 2008", "Windows Server 2008", "", Unsupported, No, No},
		{"Windows Vista e Windows Server 2008", "Windows Server 2008 SP2", "", NeedsAction, Off, Off},
		// Supported, as the table says, but switched off by default.
		{"Windows 7 e Windows Server 2008 R2", "Windows 7", "", NeedsAction, Off, Off},
		{"Windows 7 e Windows Server 2008 R2", "Windows Server 2008 R2", "", NeedsAction, Off, Off},
		{"Windows 8 e Windows Server 2012", "Windows 8", "", Works, Default, Default},
		{"Windows 8 e Windows Server 2012", "Windows Server 2012", "", Works, Default, Default},
		{"Windows 8.1 e Windows Server 2012 R2", "Windows 8.1", "", Works, Default, Default},
		{"Windows 8.1 e Windows Server 2012 R2", "Windows Server 2012 R2", "", Works, Default, Default},
		{"Windows 10 e Windows Server 2016", "Windows 10", "", Works, Default, Default},
		{"Windows 10 e Windows Server 2016", "Windows Server 2016", "", Works, Default, Default},
		{"Outlook Express su Windows XP", "Windows XP", "Outlook Express", Unsupported, No, No},
		{"Outlook 2013 è la versione più datata … che risulta funzionare", "Windows 10", "Outlook 2013", Works, Default, Default},
		{"Le versioni successive di Outlook non hanno problemi", "Windows 10", "Outlook 2016", Works, Default, Default},
		{"Le versioni successive di Outlook non hanno problemi", "Windows 10", "Outlook 365", Works, Default, Default},
		// Older than 2013: the table says it fails; Microsoft says Office
		// follows Windows. 2010: the updates, then a test; 2007: unknown.
		{"Outlook 2013 è la versione più datata (2010 is older)", "Windows 10", "Outlook 2010", NeedsAction, Default, Default},
		{"Outlook 2013 è la versione più datata (2007 is older)", "Windows 10", "Outlook 2007", Undetermined, Unknown, Unknown},
		{"Airwatch", "Airwatch", "", Undetermined, Default, Partial},
		{"Android: versione da 1.0 a 4.4.4", "Android 1.0", "", Unsupported, No, No},
		{"Android: versione da 1.0 a 4.4.4", "Android 2.3.6", "", Unsupported, No, No},
		// Present from 4.1 but off, and no setting turns it on.
		{"Android: versione da 1.0 a 4.4.4", "Android 4.4.4", "", Unsupported, Off, Off},
		{"Android: versione da 5.0 a 8.1 – Android P", "Android 5.0", "", Works, Default, Default},
		{"Android: versione da 5.0 a 8.1 – Android P", "Android 8.1", "", Works, Default, Default},
		{"Android: versione da 5.0 a 8.1 – Android P", "Android P", "", Works, Default, Default},
		{"iPhone OS: versioni 1,2,3,4", "iPhone OS 1", "", Unsupported, No, No},
		{"iPhone OS: versioni 1,2,3,4", "iPhone OS 4", "", Unsupported, No, No},
		{"iPhone OS: versioni 5,…,11", "iOS 5", "", Works, Default, Default},
		{"iPhone OS: versioni 5,…,11", "iPhone iOS 9.3", "", Works, Default, Default},
		{"iPhone OS: versioni 5,…,11", "iOS 11", "", Works, Default, Default},
		{"Windows Phone versioni 7, 7.5, 7.8, 8", "Windows Phone 7", "", Unsupported, No, No},
		{"Windows Phone versioni 7, 7.5, 7.8, 8", "Windows Phone 7.5", "", Unsupported, No, No},
		{"Windows Phone versioni 7, 7.5, 7.8, 8", "Windows Phone 7.8", "", Unsupported, No, No},
		{"Windows Phone versioni 7, 7.5, 7.8, 8", "Windows Phone 8", "", Unsupported, No, No},
		{"Windows Phone versione 8.1", "Windows Phone 8.1", "", Works, Default, Default},
	}
	for _, c := range cases {
		t.Run(c.seed+"/"+c.os+"/"+c.client, func(t *testing.T) {
			v := askSystem(t, kb, c.os, c.client, "1.2")
			if v.Verdict != c.want {
				t.Errorf("verdict = %s, want %s (reasons %v)", v.Verdict, c.want, v.Reasons)
			}
			if got := v.TLS["1.1"].State; got != c.tls11 {
				t.Errorf("TLS 1.1 = %s, want %s", got, c.tls11)
			}
			if got := v.TLS["1.2"].State; got != c.tls12 {
				t.Errorf("TLS 1.2 = %s, want %s", got, c.tls12)
			}
			if len(v.Sources) == 0 {
				t.Errorf("no sources")
			}
		})
	}
}

// Where a data row departs from its seed row, the answer says so and the
// row explains why.
func TestSeedDisagreementsAreExplained(t *testing.T) {
	kb := kbT(t)
	differ := map[string]bool{}
	for _, f := range kb.Families() {
		for _, r := range f.Rows {
			if r.Seed != nil && !r.SeedAgrees() {
				differ[r.ID] = true
				if r.SeedNote == "" {
					t.Errorf("%s departs from the seed table without a seed_note", r.ID)
				}
			}
		}
	}
	for _, id := range []string{"windows-7", "windows-vista", "windows-server-2008", "windows-server-2008-sp2", "android-4.1-4.4"} {
		if !differ[id] {
			t.Errorf("%s: expected to depart from the seed table", id)
		}
	}
	v := ask(t, kb, "windows 7", "", "1.2", false)
	if !hasReason(v, "compat.reason.seed_differs") {
		t.Errorf("Windows 7: no seed_differs reason in %v", v.Reasons)
	}
}
