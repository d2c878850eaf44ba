# Mail Doctor — two commands matter: `make run` and `make test`.
# Both install what is missing (Debian/Ubuntu, as root or with sudo).

GO        ?= go
GO119     ?= /usr/lib/go-1.19/bin/go
STATICCHECK_VERSION ?= v0.8.2
GOBIN     := $(shell $(GO) env GOPATH)/bin
PKGS_CROSS := ./detect/... ./i18n/... ./assets/... ./internal/instance/...

.PHONY: run test deps test-deps lint build build-legacy cross unit bench compare-testssl fuzz

VERSION   := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
TAGS      := migrated_fynedo

run: deps
	$(GO) run -tags $(TAGS) .

# test: every test. The Windows code runs for real under Wine, and the
# release files are built and checked (PE headers, size budgets, the legacy
# .exe under Wine), so a change that breaks a download fails here.
test: test-deps lint cross build-legacy unit journey test-wine test-dist

# deps: what building and running needs.
deps:
	@scripts/install-deps.sh build

# test-deps: Dovecot, Go 1.19 and the linters.
test-deps:
	@scripts/install-deps.sh test
	@test -x $(GOBIN)/staticcheck || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GOBIN)/staticcheck ./...

# detect/ and fix/ are pure Go: they must build for every desktop system.
cross:
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build $(PKGS_CROSS)
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) build $(PKGS_CROSS)
	CGO_ENABLED=0 GOOS=darwin GOARCH=amd64 $(GO) build $(PKGS_CROSS)

# The Windows 7/8.1 build uses Debian's Go 1.19: any newer standard-library
# call fails here, before a customer's old PC finds it.
build-legacy:
	GOTOOLCHAIN=local GOFLAGS=-mod=mod $(GO119) build ./...
	GOTOOLCHAIN=local GOFLAGS=-mod=mod GOOS=windows CGO_ENABLED=0 $(GO119) build $(PKGS_CROSS) ./cli/...
	GOTOOLCHAIN=local GOFLAGS=-mod=mod $(GO119) vet ./...

build:
	$(GO) build -tags $(TAGS) -trimpath -ldflags "-X main.version=$(VERSION)" -o maildoctor .

unit:
	$(GO) test -race -count=1 ./...

# bench: the loopback check, then the same check through a line with 0, 20
# and 75 ms one-way delay (internal/latency), reported in round trips, and
# discovery by autoconfig over https through the same lines; then the
# window's idle CPU on every screen, both languages, before and after a
# check, against a minimal Fyne app (scripts/idlecpu.sh, ~5 minutes).
bench:
	$(GO) test -run '^$$' -bench FullCheck -benchtime 20x ./detect/check/
	$(GO) test -run '^$$' -bench CheckLatency -benchtime 3x ./detect/check/
	$(GO) test -run '^$$' -bench DiscoverLatency -benchtime 5x ./detect/discover/
	scripts/idlecpu.sh

# compare-testssl: Debian's testssl.sh -p on one implicit-TLS port of the
# test Dovecot and the full check, through the same 20 ms one-way line in
# the same run (README, "Measured"). Then testssl.sh -c against every
# handshake scenario (Dovecot and its openssl s_server twin) next to the
# simulator, with the agreement table (~4 min). Not part of `test`.
compare-testssl:
	@scripts/install-deps.sh testssl
	MAILDOCTOR_TESTSSL=1 $(GO) test -run '^TestCompareTestssl$$' -count=1 -v ./detect/check/
	MAILDOCTOR_TESTSSL=1 $(GO) test -run '^TestCompareTestsslSimulation$$' -count=1 -v -timeout 20m ./detect/compat/

fuzz:
	@scripts/fuzz.sh 30s

# journey: the real window under Xvfb, driven by xdotool as an Italian
# customer: a real Thunderbird profile on STARTTLS, "Cosa fare", the
# automatic fix, done, undo; prefs.js checked changed, then restored byte
# for byte. Screenshots of each step stay in /tmp/maildoctor-journey.
.PHONY: journey
journey:
	scripts/journey.sh

# screenshots: the real window under Xvfb, every screen in both languages.
screenshots: deps
	@command -v Xvfb >/dev/null || scripts/install-deps.sh screenshots
	scripts/screenshots.sh docs/screenshots

# --- Release files (issue 8) ------------------------------------------------
# dist: what support sends to customers, into dist/ (see docs/release.md).
# test-dist: builds it (unsigned), checks the .exe headers and resources, the
# size budgets, the download page in headless Chromium (which file each
# system is offered, screenshots), then builds it again signed with a
# throwaway certificate: osslsigncode verify, the PE checks, and the signed
# legacy .exe under Wine (command line and window).
# Signing a release: SIGN_PKCS12=cert.p12 SIGN_PASSWORD=… [SIGN_TIMESTAMP_URL=…] make dist
.PHONY: dist size-check test-dist dist-repro dist-startup

dist:
	scripts/dist.sh dist

size-check:
	scripts/dist-size.sh dist

test-dist: dist
	MAILDOCTOR_DIST=$(CURDIR)/dist $(GO) test -count=1 -run 'TestReleaseExes|TestReleaseZips|TestCatchesBareExe' -v ./internal/pecheck/
	scripts/dist-size.sh dist
	scripts/test-dist-page.sh dist
	MAILDOCTOR_DIST=$(CURDIR)/dist $(GO) test -count=1 -run 'TestChromiumCompat' -v ./detect/compat/
	scripts/test-dist-sign.sh dist

# dist-repro: builds everything a second time from a copy of the tree at
# another path with an empty build cache, and compares every file's sha256.
dist-repro:
	scripts/dist-repro.sh

# dist-startup: start-up of the app to its first frame, and of subcommands.
dist-startup:
	scripts/dist-startup.sh

# test-wine: detect/'s Windows code for real under Wine (Debian's wine and
# Go 1.19): the detect/ unit tests as Windows binaries, then
# "maildoctor detect" on registries filled with `wine reg import` for
# Outlook 2010/2016, Windows Live Mail, Outlook Express and SChannel, with
# the Windows version switched by `winecfg -v` (win7, win81, win10, XP).
.PHONY: test-wine
test-wine:
	@scripts/install-deps.sh wine
	scripts/test-wine.sh

# docs: regenerate docs/compat.md, the published compatibility matrix, from
# assets/compat (cli's TestCompatDocsUpToDate fails when it is stale).
.PHONY: docs
docs:
	$(GO) run . compat --table --format md --lang en > docs/compat.md.tmp
	mv docs/compat.md.tmp docs/compat.md

# compat-shots: docs/screenshots/compat-{it,en}-{1280,390}.png, the published
# compatibility page (the picker's answer for Windows 7 + Outlook 2010) in
# Debian's headless Chromium, for the README.
.PHONY: compat-shots
compat-shots:
	@scripts/install-deps.sh build chromium fonts-dejavu-core >/dev/null
	d=$$(mktemp -d) && $(GO) run . compat --table --format html > $$d/compat.html && \
	MAILDOCTOR_DIST=$$d MAILDOCTOR_SHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run 'TestChromiumCompatScreenshots' ./detect/compat/; \
	s=$$?; rm -rf $$d; exit $$s
