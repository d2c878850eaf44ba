package discover

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"maildoctor.app/maildoctor/internal/latency"
)

// fullAutoconfig is a domain's own autoconfig file naming all three
// protocols, so no less trusted source is waited for.
const fullAutoconfig = `<clientConfig version="1.1"><emailProvider id="customer.test">
<domain>customer.test</domain>
<incomingServer type="imap"><hostname>imap.customer.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
<incomingServer type="pop3"><hostname>pop.customer.test</hostname><port>995</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.customer.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>`

// slowWeb serves handler over https for hosts behind a latency proxy with
// the given one-way delay. Its client pays one round trip to resolve a
// name before it dials, as a client asking a DNS server over the same
// line does.
func slowWeb(tb testing.TB, hosts []string, handler http.Handler, oneWay time.Duration) (*http.Client, *latency.Proxy) {
	tb.Helper()
	cert, pool := testCert(tb, hosts)
	srv := httptest.NewUnstartedServer(handler)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	tb.Cleanup(srv.Close)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	p := latency.Start(tb, "127.0.0.1", []int{port}, oneWay)
	served := map[string]bool{}
	for _, h := range hosts {
		served[net.JoinHostPort(h, "443")] = true
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	transport := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			time.Sleep(p.RTT()) // the name's lookup
			if !served[addr] {
				return nil, fmt.Errorf("dial %s: no such host (test)", addr)
			}
			return dialer.DialContext(ctx, network, net.JoinHostPort(p.Addr, strconv.Itoa(port)))
		},
	}
	tb.Cleanup(transport.CloseIdleConnections)
	return &http.Client{Transport: transport, Timeout: 10 * time.Second}, p
}

// BenchmarkDiscoverLatency is discovery for a domain no built-in profile
// covers, over a line with 0, 20 and 75 ms each way: the domain's
// autoconfig file over https (TCP, TLS, one request) while SRV and MX are
// asked at once, every DNS question costing one round trip. "rtt" is the
// wall time in round trips; the target is 4 plus DNS.
func BenchmarkDiscoverLatency(b *testing.B) {
	for _, d := range []time.Duration{0, 20 * time.Millisecond, 75 * time.Millisecond} {
		b.Run(fmt.Sprintf("oneway=%dms", d.Milliseconds()), func(b *testing.B) {
			client, p := slowWeb(b, []string{"autoconfig.customer.test", "customer.test"},
				byHost{"autoconfig.customer.test": serveXML(fullAutoconfig)}, d)
			dns := &fakeDNS{delay: p.RTT()}
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				res, err := Find(context.Background(), "mario@customer.test", Options{Resolver: dns, HTTP: client, Timeout: 5 * time.Second})
				if err != nil || res.Source != SourceAutoconfig || len(res.Servers) != 6 {
					b.Fatalf("Find: %v, source %q, %d servers, tried %v", err, res.Source, len(res.Servers), res.Tried)
				}
				// A new check opens new connections.
				client.Transport.(*http.Transport).CloseIdleConnections()
			}
			perOp := time.Since(start) / time.Duration(b.N)
			b.StopTimer()
			b.ReportMetric(float64(perOp.Microseconds())/1000, "ms/find")
			if d > 0 {
				b.ReportMetric(float64(perOp)/float64(p.RTT()), "rtt")
			}
		})
	}
}
