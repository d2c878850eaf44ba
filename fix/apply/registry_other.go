//go:build !windows

package apply

// HostRegistry is nil where there is no registry.
func HostRegistry() Registry { return nil }
