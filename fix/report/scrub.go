package report

import (
	"reflect"
	"strings"
)

// scrub replaces every secret in every string reachable from v (a
// pointer): struct fields, slice elements, map keys and values. It walks
// the value rather than the JSON text, so a short secret cannot break the
// report's structure.
func scrub(v interface{}, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, Redacted)
	}
	// Longer secrets first, so a secret that contains another goes whole.
	sortByLength(pairs)
	walk(reflect.ValueOf(v), strings.NewReplacer(pairs...))
}

func sortByLength(pairs []string) {
	for i := 0; i < len(pairs); i += 2 {
		for j := i + 2; j < len(pairs); j += 2 {
			if len(pairs[j]) > len(pairs[i]) {
				pairs[i], pairs[j] = pairs[j], pairs[i]
			}
		}
	}
}

func walk(v reflect.Value, r *strings.Replacer) {
	switch v.Kind() {
	case reflect.Ptr, reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), r)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				walk(f, r)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), r)
		}
	case reflect.Map:
		walkMap(v, r)
	case reflect.String:
		if v.CanSet() {
			v.SetString(r.Replace(v.String()))
		}
	}
}

// walkMap rebuilds the map's entries, since map elements cannot be set in
// place.
func walkMap(v reflect.Value, r *strings.Replacer) {
	if v.IsNil() {
		return
	}
	iter := v.MapRange()
	type entry struct{ old, k, val reflect.Value }
	var entries []entry
	for iter.Next() {
		k := reflect.New(iter.Key().Type()).Elem()
		k.Set(iter.Key())
		val := reflect.New(iter.Value().Type()).Elem()
		val.Set(iter.Value())
		walk(k, r)
		walk(val, r)
		entries = append(entries, entry{iter.Key(), k, val})
	}
	for _, e := range entries {
		v.SetMapIndex(e.old, reflect.Value{})
	}
	for _, e := range entries {
		v.SetMapIndex(e.k, e.val)
	}
}
