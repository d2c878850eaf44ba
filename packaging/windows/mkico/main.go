// Command mkico turns the app's 512×512 PNG icon into the Windows .ico that
// the .exe's resources embed, so the release build needs no image tools.
//
//	go run ./packaging/windows/mkico assets/icon.png out.ico
//
// The 256 px image is stored as PNG (what Explorer shows at large sizes);
// the small ones as 32-bit BMP with an AND mask, which every Windows from 7
// on, and every icon-reading tool, understands.
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
)

// sizes are the ones Windows asks for: 16/20/24 (small icons at
// 100–150 %), 32/40/48 (Alt-Tab, desktop), 64 and 256 (large views).
var sizes = []int{16, 20, 24, 32, 40, 48, 64, 256}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mkico IN.png OUT.ico")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "mkico:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	src, err := png.Decode(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %v", in, err)
	}
	if b := src.Bounds(); b.Dx() < 256 || b.Dx() != b.Dy() {
		return fmt.Errorf("%s: want a square icon of at least 256 px, got %dx%d", in, b.Dx(), b.Dy())
	}
	var images [][]byte
	for _, s := range sizes {
		img := resize(src, s)
		var data []byte
		if s >= 256 {
			var buf bytes.Buffer
			enc := png.Encoder{CompressionLevel: png.BestCompression}
			if err := enc.Encode(&buf, img); err != nil {
				return err
			}
			data = buf.Bytes()
		} else {
			data = bmp(img)
		}
		images = append(images, data)
	}
	return os.WriteFile(out, ico(images), 0o644)
}

// ico writes ICONDIR, one ICONDIRENTRY per image, then the images.
func ico(images [][]byte) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	w16 := func(v int) { _ = binary.Write(&b, le, uint16(v)) }
	w32 := func(v int) { _ = binary.Write(&b, le, uint32(v)) }
	w16(0)
	w16(1) // icon, not cursor
	w16(len(images))
	offset := 6 + 16*len(images)
	for i, data := range images {
		s := sizes[i]
		dim := byte(s)
		if s >= 256 {
			dim = 0 // 0 means 256
		}
		b.WriteByte(dim)
		b.WriteByte(dim)
		b.WriteByte(0) // no palette
		b.WriteByte(0)
		w16(1)  // planes
		w16(32) // bits per pixel
		w32(len(data))
		w32(offset)
		offset += len(data)
	}
	for _, data := range images {
		b.Write(data)
	}
	return b.Bytes()
}

// bmp is the ICO flavour of a DIB: a BITMAPINFOHEADER whose height counts
// the XOR (colour) and AND (mask) bitmaps together, rows bottom-up.
func bmp(img *image.NRGBA) []byte {
	s := img.Bounds().Dx()
	maskStride := ((s + 31) / 32) * 4
	var b bytes.Buffer
	le := binary.LittleEndian
	hdr := []interface{}{
		uint32(40), int32(s), int32(2 * s), uint16(1), uint16(32),
		uint32(0), uint32(s*s*4 + maskStride*s), int32(0), int32(0), uint32(0), uint32(0),
	}
	for _, v := range hdr {
		_ = binary.Write(&b, le, v)
	}
	for y := s - 1; y >= 0; y-- {
		for x := 0; x < s; x++ {
			c := img.NRGBAAt(x, y)
			b.Write([]byte{c.B, c.G, c.R, c.A})
		}
	}
	for y := s - 1; y >= 0; y-- {
		row := make([]byte, maskStride)
		for x := 0; x < s; x++ {
			if img.NRGBAAt(x, y).A == 0 {
				row[x/8] |= 0x80 >> (x % 8)
			}
		}
		b.Write(row)
	}
	return b.Bytes()
}

// resize averages every source pixel that a destination pixel covers,
// weighted by the covered area and in premultiplied alpha so transparent
// edges do not turn dark. Plain area averaging is right for shrinking,
// which is all an icon needs.
func resize(src image.Image, size int) *image.NRGBA {
	sb := src.Bounds()
	n := sb.Dx()
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := float64(n) / float64(size)
	for dy := 0; dy < size; dy++ {
		y0, y1 := float64(dy)*scale, float64(dy+1)*scale
		for dx := 0; dx < size; dx++ {
			x0, x1 := float64(dx)*scale, float64(dx+1)*scale
			var r, g, bl, a, wsum float64
			for sy := int(y0); float64(sy) < y1 && sy < n; sy++ {
				wy := overlap(float64(sy), y0, y1)
				for sx := int(x0); float64(sx) < x1 && sx < n; sx++ {
					w := wy * overlap(float64(sx), x0, x1)
					c := color.NRGBAModel.Convert(src.At(sb.Min.X+sx, sb.Min.Y+sy)).(color.NRGBA)
					al := float64(c.A) / 255
					r += w * al * float64(c.R)
					g += w * al * float64(c.G)
					bl += w * al * float64(c.B)
					a += w * al
					wsum += w
				}
			}
			if a == 0 {
				continue
			}
			dst.SetNRGBA(dx, dy, color.NRGBA{
				R: clamp(r / a), G: clamp(g / a), B: clamp(bl / a), A: clamp(255 * a / wsum),
			})
		}
	}
	return dst
}

// overlap is how much of the unit cell [p, p+1) lies inside [lo, hi).
func overlap(p, lo, hi float64) float64 {
	l, h := p, p+1
	if lo > l {
		l = lo
	}
	if hi < h {
		h = hi
	}
	if h <= l {
		return 0
	}
	return h - l
}

func clamp(v float64) uint8 {
	v += 0.5
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}
