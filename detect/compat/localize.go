package compat

import "strings"

// LocalName is a system's or program's name in lang: the data's name_it
// (or stack_name_it) for Italian where the English name has words in it
// ("Outlook (classic, for Windows)"), else the name as it is.
func (kb *KB) LocalName(name, lang string) string {
	if lang != "it" {
		return name
	}
	if it, ok := kb.italian()[name]; ok {
		return it
	}
	return name
}

// LocalArgs returns args with every value that is a name, or a name and a
// version ("Thunderbird 115.18"), in lang: the evaluator writes names into
// the reasons' and steps' arguments in the data's English.
func (kb *KB) LocalArgs(args map[string]string, lang string) map[string]string {
	if kb == nil || lang != "it" || len(args) == 0 {
		return args
	}
	names := kb.italian()
	out := make(map[string]string, len(args))
	for k, v := range args {
		out[k] = v
		if it, ok := names[v]; ok {
			out[k] = it
			continue
		}
		// Longest name first: "Outlook for Mac" before "Outlook".
		best := ""
		for en := range names {
			if len(en) > len(best) && strings.HasPrefix(v, en+" ") {
				best = en
			}
		}
		if best != "" {
			out[k] = names[best] + v[len(best):]
		}
	}
	return out
}

// localized is tr with its arguments' names in lang.
func (kb *KB) localized(lang string, tr Translate) Translate {
	return func(key string, args map[string]string) string {
		return tr(key, kb.LocalArgs(args, lang))
	}
}

func (kb *KB) italian() map[string]string {
	kb.itOnce.Do(func() {
		kb.itNames = map[string]string{}
		for _, f := range kb.families {
			if f.NameIT != "" {
				kb.itNames[f.Name] = f.NameIT
			}
			if f.StackNameIT != "" {
				kb.itNames[f.StackName] = f.StackNameIT
			}
			for _, r := range f.Rows {
				if r.NameIT != "" {
					kb.itNames[r.Name] = r.NameIT
				}
			}
		}
	})
	return kb.itNames
}
