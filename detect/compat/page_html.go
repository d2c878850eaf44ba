package compat

// pageHTML is compat.html. Every language is a <main>; the default one is
// last so that "#en:target ~ #it" can hide it with scripts off. Under 760
// px each table row becomes a card (a phone has no room for nine columns).
const pageHTML = `<!DOCTYPE html>
<html lang="{{.Default}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
{{- range .Langs}}{{if .Default}}
<title>{{call .T "compat.page.title"}}</title>
{{- end}}{{end}}
<style>
:root{--ink:#1d2733;--muted:#5b6775;--line:#d8dee6;--accent:#0b5cad;--bg:#f5f7fa}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;overflow-wrap:break-word}
main{max-width:80rem;margin:0 auto;padding:1rem .75rem 2.5rem}
main.other{display:none}
main.other:target{display:block}
main.other:target~main{display:none}
main.other:has(:target){display:block}
main.other:has(:target)~main{display:none}
html.js main.other.shown{display:block}
html.js main.hide{display:none}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}
h1{font-size:1.7rem;line-height:1.2;margin:.4rem 0}
h2{font-size:1.2rem;margin:1.6rem 0 .5rem}
h3{font-size:1rem;margin:.8rem 0 .3rem}
a{color:var(--accent)}
.lead{color:var(--muted);margin:.2rem 0 1rem}
.box{background:#fff;border:1px solid var(--line);border-radius:12px;padding:1rem;margin:1rem 0}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}
select,input{width:100%;max-width:36rem;font:inherit;padding:.45rem;border:1px solid #9aa6b2;border-radius:8px;background:#fff}
.answer p.v{font-weight:600;font-size:1.1rem;padding:.4rem .6rem;border-radius:8px}
ol,ul{padding-left:1.3rem}li{margin:.3rem 0}
.small{font-size:.85rem;color:var(--muted)}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:1.5rem}
caption{text-align:left;font-weight:700;font-size:1.2rem;padding:.6rem 0}
th,td{border:1px solid var(--line);padding:.35rem .5rem;vertical-align:top;text-align:left}
thead th{background:#eef1f5;font-size:.9rem}
tbody th{font-weight:600}
tbody th .ver{display:block;font-weight:400;color:var(--muted);font-size:.85rem}
tbody th a.anchor{color:var(--muted);text-decoration:none;font-weight:400;margin-left:.3rem}
tr:target th,tr:target td{background:#fffbe0}
.works{background:#e3f5e1}.needs_action{background:#fff4d6}.unsupported{background:#fde2e1}.unknown,.system{background:#eef0f5}
td.t{font-size:.9rem}
details{font-size:.9rem}
summary{cursor:pointer;color:var(--accent)}
details p,details ul{margin:.4rem 0}
details a{overflow-wrap:anywhere}
[hidden]{display:none!important}
@media (max-width:760px){
 table,thead,tbody,tr,th,td,caption{display:block;width:auto}
 thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table{background:none;border:0}
 tbody tr{background:#fff;border:1px solid var(--line);border-radius:10px;margin:.6rem 0;padding:.4rem .6rem}
 th,td{border:0;padding:.15rem 0}
 td.t,td.r{display:inline-block;width:49%}
 td[data-label]::before{content:attr(data-label) ": ";font-weight:600;font-size:.8rem;color:var(--muted)}
 td.r{padding:.2rem .3rem;border-radius:6px;margin:.15rem 0}
 td.d{width:100%}
}
</style>
</head>
<body>
{{- range $l := .Langs}}
<main id="{{.Code}}" lang="{{.Code}}"{{if not .Default}} class="other"{{end}}>
<header>
<h1>{{call .T "compat.page.title"}}</h1>
<nav>{{range .Others}}<a href="#{{.Code}}" hreflang="{{.Code}}" lang="{{.Code}}" class="lang">{{.Name}}</a> {{end}}</nav>
</header>
<p class="lead">{{call .T "compat.page.lead"}}</p>
<noscript><p class="small">{{call .T "compat.page.noscript"}}</p></noscript>

<section class="box pick" hidden>
<h2>{{call .T "compat.page.pick.title"}}</h2>
<label for="{{.Prefix}}sys">{{call .T "compat.page.pick.system"}}</label>
<select id="{{.Prefix}}sys" class="sys">
<option value="">{{call .T "compat.page.pick.choose"}}</option>
{{- range .Systems}}
<optgroup label="{{.Label}}">{{range .Options}}<option value="{{.Value}}">{{.Label}}</option>{{end}}</optgroup>
{{- end}}
</select>
<label for="{{.Prefix}}prog">{{call .T "compat.page.pick.program"}}</label>
<select id="{{.Prefix}}prog" class="prog">
<option value="">{{call .T "compat.page.pick.choose"}}</option>
<option value="builtin">{{call .T "compat.page.pick.builtin"}}</option>
{{- range .Programs}}
<optgroup label="{{.Label}}">{{range .Options}}<option value="{{.Value}}">{{.Label}}</option>{{end}}</optgroup>
{{- end}}
</select>
<div class="answer" aria-live="polite" hidden
 data-none="{{call .T "compat.page.pick.none"}}" data-why="{{call .T "compat.page.pick.why"}}"
 data-todo="{{call .T "compat.page.pick.todo"}}" data-rows="{{call .T "compat.page.pick.rows"}}"
 data-link="{{call .T "compat.page.pick.link"}}"></div>
<p class="small">{{call .T "compat.page.pick.server"}}</p>
</section>

<section class="box find" hidden>
<label for="{{.Prefix}}q">{{call .T "compat.page.search"}}</label>
<input type="search" id="{{.Prefix}}q" class="q" autocomplete="off" placeholder="{{call .T "compat.page.search.example"}}">
<p class="small none" hidden>{{call .T "compat.page.search.none"}}</p>
</section>

<p class="small">{{call .T "compat.table.legend"}}</p>
{{- range .Sections}}
<table>
<caption>{{.Caption}}</caption>
<thead><tr><th scope="col">{{call $l.T "compat.table.col.name"}}</th>{{range $l.TLS}}<th scope="col">TLS {{.}}</th>{{end}}<th scope="col">{{call $l.T "compat.table.col.server12"}}</th><th scope="col">{{call $l.T "compat.table.col.server13"}}</th><th scope="col">{{call $l.T "compat.page.details"}}</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr id="{{.Anchor}}" data-k="{{.Keywords}}">
<th scope="row">{{.Name}}<a class="anchor" href="#{{.Anchor}}" title="{{call $l.T "compat.page.anchor"}}">#</a>{{if .Versions}}<span class="ver">{{.Versions}}</span>{{end}}</th>
{{- range $i, $c := .Cells}}<td class="t" data-label="TLS {{index $l.TLS $i}}">{{$c.Text}}</td>{{end}}
<td class="r {{.Verdict12.Class}}" data-label="{{call $l.T "compat.table.col.server12"}}">{{.Verdict12.Text}}</td>
<td class="r {{.Verdict13.Class}}" data-label="{{call $l.T "compat.table.col.server13"}}">{{.Verdict13.Text}}</td>
<td class="d"><details><summary>{{call $l.T "compat.page.details"}}</summary>
<p{{if .NotesLang}} lang="{{.NotesLang}}"{{end}}>{{.Notes}}</p>
{{- if .SeedRow}}
<p>{{call $l.T "compat.page.seed"}} <q lang="it">{{.SeedRow}}</q>{{if .SeedValues}}: {{.SeedValues}}{{end}}</p>
{{- end}}
<ul lang="en">{{range .Sources}}<li>{{if .URL}}<a href="{{.URL}}" rel="noreferrer">{{.Title}}</a>{{else}}{{.Title}}{{end}}</li>{{end}}</ul>
</details></td>
</tr>
{{- end}}
</tbody>
</table>
{{- end}}
</main>
{{- end}}
<script>
(function () {
"use strict";
var answers = {{.Answers}};
var texts = {{.Texts}};
var root = document.documentElement;
root.className += " js";
var mains = document.getElementsByTagName("main");
var params = {};
location.search.replace(/^\?/, "").split("&").forEach(function (kv) {
	var p = kv.split("=");
	if (p[0]) params[decodeURIComponent(p[0])] = decodeURIComponent((p[1] || "").replace(/\+/g, " "));
});

// lang follows the address: "#en", or a row of the English table
// ("#en-windows-7"), shows English; anything else the default.
function lang() {
	var h = location.hash.replace(/^#/, "");
	for (var i = 0; i < mains.length; i++) {
		var m = mains[i], other = m.className.indexOf("other") >= 0;
		var hit = other && (h === m.id || h.indexOf(m.id + "-") === 0);
		m.className = m.className.replace(/ ?(shown|hide)/g, "");
		if (hit) m.className += " shown";
		m.setAttribute("data-hit", hit ? "1" : "");
	}
	var any = false;
	for (var j = 0; j < mains.length; j++) if (mains[j].getAttribute("data-hit")) any = true;
	for (var k = 0; k < mains.length; k++) {
		var isOther = mains[k].className.indexOf("other") >= 0;
		if (any && !isOther) mains[k].className += " hide";
	}
}

function el(tag, text) {
	var e = document.createElement(tag);
	if (text) e.textContent = text;
	return e;
}

function fold(s) {
	s = s.toLowerCase();
	return s.normalize ? s.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : s;
}

function setup(m) {
	var code = m.id, t = texts[code] || [];
	var prefix = m.className.indexOf("other") >= 0 ? code + "-" : "";
	var sys = m.querySelector(".sys"), prog = m.querySelector(".prog"), box = m.querySelector(".answer");
	function show() {
		box.textContent = "";
		if (!sys.value || !prog.value) { box.hidden = true; return; }
		box.hidden = false;
		var a = answers[sys.value + "|" + prog.value];
		if (!a) { box.appendChild(el("p", box.getAttribute("data-none"))); return; }
		var v = el("p", t[a.v]);
		v.className = "v " + a.c;
		box.appendChild(v);
		if (a.a.length) {
			box.appendChild(el("h3", box.getAttribute("data-todo")));
			var ol = el("ol");
			a.a.forEach(function (i) { ol.appendChild(el("li", t[i])); });
			box.appendChild(ol);
		}
		if (a.r.length) {
			box.appendChild(el("h3", box.getAttribute("data-why")));
			var ul = el("ul");
			a.r.forEach(function (i) { ul.appendChild(el("li", t[i])); });
			box.appendChild(ul);
		}
		var p = el("p", box.getAttribute("data-rows") + " ");
		p.className = "small";
		[sys.value, prog.value].forEach(function (id) {
			var row = document.getElementById(prefix + id);
			if (!row) return;
			var link = el("a", row.querySelector("th").firstChild.textContent);
			link.href = "#" + prefix + id;
			p.appendChild(link);
			p.appendChild(document.createTextNode(" "));
		});
		var share = el("a", box.getAttribute("data-link"));
		share.href = "?os=" + encodeURIComponent(sys.value) + "&program=" + encodeURIComponent(prog.value) + (prefix ? "#" + code : "");
		p.appendChild(share);
		box.appendChild(p);
	}
	sys.onchange = prog.onchange = show;
	if (params.os) sys.value = params.os;
	if (params.program) prog.value = params.program;
	show();
	m.querySelector(".pick").hidden = false;

	var q = m.querySelector(".q"), none = m.querySelector(".none");
	var rows = m.querySelectorAll("tbody tr");
	q.oninput = function () {
		var words = fold(q.value).split(/\s+/).filter(Boolean), seen = 0;
		for (var i = 0; i < rows.length; i++) {
			var hay = fold(rows[i].getAttribute("data-k") + " " + rows[i].querySelector("th").textContent);
			var hit = words.every(function (w) { return hay.indexOf(w) >= 0; });
			rows[i].hidden = !hit;
			if (hit) seen++;
		}
		none.hidden = seen > 0;
	};
	if (params.q) { q.value = params.q; q.oninput(); }
	m.querySelector(".find").hidden = false;
}

for (var i = 0; i < mains.length; i++) setup(mains[i]);
lang();
window.addEventListener("hashchange", lang);
})();
</script>
</body>
</html>
`
