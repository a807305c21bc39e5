package dev.okube.auth.x509;

/** Just enough DER reading for the key-identifier extensions: short and long definite lengths. */
final class Der {
    private Der() {
    }

    /** The content of the TLV at the start of {@code der} if its tag is {@code tag}; null otherwise. */
    static byte[] content(byte[] der, int tag) {
        if (der == null || der.length < 2 || (der[0] & 0xff) != tag) {
            return null;
        }
        int[] len = length(der, 1);
        if (len == null || len[1] + len[0] > der.length) {
            return null;
        }
        byte[] out = new byte[len[0]];
        System.arraycopy(der, len[1], out, 0, len[0]);
        return out;
    }

    /** The content of the first element with {@code tag} inside a SEQUENCE at the start of {@code der}. */
    static byte[] firstTagged(byte[] der, int tag) {
        byte[] seq = content(der, 0x30);
        if (seq == null) {
            return null;
        }
        int pos = 0;
        while (pos + 2 <= seq.length) {
            int t = seq[pos] & 0xff;
            int[] len = length(seq, pos + 1);
            if (len == null || len[1] + len[0] > seq.length) {
                return null;
            }
            if (t == tag) {
                byte[] out = new byte[len[0]];
                System.arraycopy(seq, len[1], out, 0, len[0]);
                return out;
            }
            pos = len[1] + len[0];
        }
        return null;
    }

    /** {length, offset of the content} of the length octets at {@code pos}; null when malformed. */
    private static int[] length(byte[] der, int pos) {
        if (pos >= der.length) {
            return null;
        }
        int first = der[pos] & 0xff;
        if (first < 0x80) {
            return new int[] {first, pos + 1};
        }
        int octets = first & 0x7f;
        if (octets == 0 || octets > 3 || pos + octets >= der.length) {
            return null;
        }
        int len = 0;
        for (int i = 1; i <= octets; i++) {
            len = (len << 8) | (der[pos + i] & 0xff);
        }
        return new int[] {len, pos + 1 + octets};
    }
}
