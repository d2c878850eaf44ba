package hello

import "math/big"

// X25519 of RFC 7748 §5 on math/big, because Go 1.19 has neither
// crypto/ecdh nor an exported curve25519. It is used only to make the
// public key of a TLS 1.3 key share, which must be a valid point; the
// private key is thrown away with the connection, so constant time does
// not matter here.

var (
	p25519 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	a24    = big.NewInt(121665)
)

// X25519Base returns the X25519 public key for the private key k.
func X25519Base(k [32]byte) [32]byte {
	var u [32]byte
	u[0] = 9
	return X25519(k, u)
}

// X25519 is the function of RFC 7748 §5: k times the point with
// u-coordinate u.
func X25519(k, u [32]byte) [32]byte {
	k[0] &= 248
	k[31] &= 127
	k[31] |= 64
	u[31] &= 127
	scalar := leInt(k[:])
	x1 := new(big.Int).Mod(leInt(u[:]), p25519)
	x2, z2 := big.NewInt(1), big.NewInt(0)
	x3, z3 := new(big.Int).Set(x1), big.NewInt(1)
	swap := uint(0)
	mod := func(v *big.Int) *big.Int { return v.Mod(v, p25519) }
	for t := 254; t >= 0; t-- {
		kt := scalar.Bit(t)
		if swap^kt == 1 {
			x2, x3 = x3, x2
			z2, z3 = z3, z2
		}
		swap = kt
		a := mod(new(big.Int).Add(x2, z2))
		aa := mod(new(big.Int).Mul(a, a))
		b := mod(new(big.Int).Sub(x2, z2))
		bb := mod(new(big.Int).Mul(b, b))
		e := mod(new(big.Int).Sub(aa, bb))
		c := mod(new(big.Int).Add(x3, z3))
		d := mod(new(big.Int).Sub(x3, z3))
		da := mod(new(big.Int).Mul(d, a))
		cb := mod(new(big.Int).Mul(c, b))
		s := mod(new(big.Int).Add(da, cb))
		x3 = mod(new(big.Int).Mul(s, s))
		s = mod(new(big.Int).Sub(da, cb))
		z3 = mod(new(big.Int).Mul(x1, mod(new(big.Int).Mul(s, s))))
		x2 = mod(new(big.Int).Mul(aa, bb))
		z2 = mod(new(big.Int).Mul(e, mod(new(big.Int).Add(aa, mod(new(big.Int).Mul(a24, e))))))
	}
	if swap == 1 {
		x2, z2 = x3, z3
	}
	inv := new(big.Int).Exp(z2, new(big.Int).Sub(p25519, big.NewInt(2)), p25519)
	r := mod(new(big.Int).Mul(x2, inv))
	var out [32]byte
	be := r.Bytes()
	for i := range be {
		out[i] = be[len(be)-1-i]
	}
	return out
}

func leInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(be)
}
