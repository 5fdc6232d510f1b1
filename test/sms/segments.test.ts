// Segment counting: what an SMS costs in GSM-7 (extension characters count double) and UCS-2, on a mixed corpus.
import { expect } from 'chai';
import { countSegments } from '../../src/sms/templates/segments.ts';

describe('SMS segment counting', () => {
  const cases: { name: string; text: string; encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number; why: string }[] = [
    { name: 'plain ASCII', text: 'Hello', encoding: 'GSM-7', units: 5, segments: 1, why: '5 basic GSM characters, one septet each' },
    { name: 'exactly one GSM segment', text: 'a'.repeat(160), encoding: 'GSM-7', units: 160, segments: 1, why: '160 septets is the single-segment limit' },
    { name: 'one over', text: 'a'.repeat(161), encoding: 'GSM-7', units: 161, segments: 2, why: 'over 160, segments hold 153: 153 + 8' },
    { name: 'three GSM segments', text: 'a'.repeat(307), encoding: 'GSM-7', units: 307, segments: 3, why: '153 + 153 = 306 < 307' },
    {
      name: 'every extension character',
      text: '€^{}[]~|\\',
      encoding: 'GSM-7',
      units: 18,
      segments: 1,
      why: 'the 9 extension characters € ^ { } [ ] ~ | \\ take escape + char = 2 septets each: 18',
    },
    { name: '80 euro signs', text: '€'.repeat(80), encoding: 'GSM-7', units: 160, segments: 1, why: '80 × 2 septets = 160, still one segment' },
    { name: '81 euro signs', text: '€'.repeat(81), encoding: 'GSM-7', units: 162, segments: 2, why: '162 septets > 160: 76 € (152) fit in the first 153, 5 in the second' },
    {
      name: 'escape pairs are not split',
      text: `ab${'€'.repeat(152)}`,
      encoding: 'GSM-7',
      units: 306,
      segments: 3,
      why: '306 septets would fill 2 × 153 exactly, but after "ab" + 75 € (152) the next € (2) would straddle; segment 2 holds 76 € (152), the last € needs a third',
    },
    {
      name: 'GSM accents and Greek capitals',
      text: 'é à ü Ñ ΔΦΓΛΩΠΨΣΘΞ',
      encoding: 'GSM-7',
      units: 18,
      segments: 1,
      why: 'é à ü Ñ and the ten Greek capitals Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ are in the GSM basic table: 4 letters + 4 spaces + 10 = 18 septets',
    },
    {
      name: 'Greek lower case',
      text: 'Αθήνα',
      encoding: 'UCS-2',
      units: 5,
      segments: 1,
      why: 'Α (U+0391) and the lower-case letters are not GSM, so the whole text is UCS-2: 5 code units',
    },
    { name: 'one non-GSM Latin letter', text: `código ${'a'.repeat(63)}`, encoding: 'UCS-2', units: 70, segments: 1, why: 'ó is not GSM: UCS-2; 7 + 63 = 70 units fits one segment' },
    { name: 'UCS-2 one over', text: `código ${'a'.repeat(64)}`, encoding: 'UCS-2', units: 71, segments: 2, why: '71 units > 70: segments hold 67, so 67 + 4' },
    { name: 'Chinese', text: '您的验证码是123456', encoding: 'UCS-2', units: 12, segments: 1, why: '6 CJK + 6 digits = 12 UTF-16 units' },
    { name: 'Chinese, long', text: '验'.repeat(71), encoding: 'UCS-2', units: 71, segments: 2, why: '71 units: 67 + 4' },
    { name: 'Arabic', text: 'رمزك هو 123456', encoding: 'UCS-2', units: 14, segments: 1, why: 'Arabic letters are not GSM: 4 + 1 + 2 + 1 + 6 = 14 units' },
    { name: 'emoji', text: 'Hi 😀', encoding: 'UCS-2', units: 5, segments: 1, why: '😀 is a surrogate pair (2 units) and forces UCS-2: 3 + 2 = 5' },
    {
      name: 'surrogate pairs are not split',
      text: `${'a'.repeat(66)}${'😀'.repeat(34)}`,
      encoding: 'UCS-2',
      units: 134,
      segments: 3,
      why: '134 units would fill 2 × 67, but 66 a + one emoji (2) would be 68: segment 1 = 66 a, segment 2 = 33 emoji (66), segment 3 = the last emoji',
    },
    { name: 'empty', text: '', encoding: 'GSM-7', units: 0, segments: 0, why: 'nothing to send' },
    { name: 'line break', text: 'code\n@id.example.com #123456', encoding: 'GSM-7', units: 28, segments: 1, why: 'LF is in the GSM basic table: "code" 4 + LF 1 + "@id.example.com #123456" 23 = 28' },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.encoding}, ${c.units} units, ${c.segments} segment(s) — ${c.why}`, () => {
      const info = countSegments(c.text);
      expect(info.encoding).to.equal(c.encoding);
      expect(info.units).to.equal(c.units);
      expect(info.segments).to.equal(c.segments);
    });
  }

  it('counts characters as people do (an emoji is one character, two units)', () => {
    expect(countSegments('😀😀').characters).to.equal(2);
    expect(countSegments('😀😀').units).to.equal(4);
  });
});
