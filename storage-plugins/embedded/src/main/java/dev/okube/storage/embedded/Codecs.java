package dev.okube.storage.embedded;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * The MVStore key and value types of the store. Keys are compared as unsigned bytes because etcd
 * (and so the apiserver's key layout) orders keys bytewise, which differs from Java's String order
 * for characters outside the BMP.
 */
final class Codecs {
    static final byte[] EMPTY = new byte[0];

    private Codecs() {
    }

    /** One version of one key: the history map's key. */
    record Version(byte[] key, long revision) {
    }

    /**
     * One stored version of a key (its mod revision is in the {@link Version} key). A tombstone marks
     * the revision that deleted the key.
     */
    record Rec(long createRevision, long version, long lease, boolean tombstone, byte[] value) {
        static Rec deletion() {
            return new Rec(0, 0, 0, true, EMPTY);
        }
    }

    static int compareKeys(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The smallest key after every key starting with {@code prefix}; null when there is none (all 0xff or empty). */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if ((prefix[i] & 0xff) != 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    static final class KeyType extends BasicDataType<byte[]> {
        static final KeyType INSTANCE = new KeyType();

        @Override
        public int getMemory(byte[] obj) {
            return 24 + obj.length;
        }

        @Override
        public void write(WriteBuffer buff, byte[] obj) {
            buff.putVarInt(obj.length).put(obj);
        }

        @Override
        public byte[] read(ByteBuffer buff) {
            byte[] b = new byte[DataUtils.readVarInt(buff)];
            buff.get(b);
            return b;
        }

        @Override
        public int compare(byte[] a, byte[] b) {
            return compareKeys(a, b);
        }

        @Override
        public byte[][] createStorage(int size) {
            return new byte[size][];
        }
    }

    static final class VersionType extends BasicDataType<Version> {
        static final VersionType INSTANCE = new VersionType();

        @Override
        public int getMemory(Version obj) {
            return 48 + obj.key().length;
        }

        @Override
        public void write(WriteBuffer buff, Version obj) {
            buff.putVarInt(obj.key().length).put(obj.key()).putVarLong(obj.revision());
        }

        @Override
        public Version read(ByteBuffer buff) {
            byte[] k = new byte[DataUtils.readVarInt(buff)];
            buff.get(k);
            return new Version(k, DataUtils.readVarLong(buff));
        }

        @Override
        public int compare(Version a, Version b) {
            int c = compareKeys(a.key(), b.key());
            return c != 0 ? c : Long.compare(a.revision(), b.revision());
        }

        @Override
        public Version[] createStorage(int size) {
            return new Version[size];
        }
    }

    static final class RecType extends BasicDataType<Rec> {
        static final RecType INSTANCE = new RecType();

        @Override
        public int getMemory(Rec obj) {
            return 64 + obj.value().length;
        }

        @Override
        public void write(WriteBuffer buff, Rec obj) {
            buff.put((byte) (obj.tombstone() ? 1 : 0))
                    .putVarLong(obj.createRevision())
                    .putVarLong(obj.version())
                    .putLong(obj.lease())
                    .putVarInt(obj.value().length)
                    .put(obj.value());
        }

        @Override
        public Rec read(ByteBuffer buff) {
            boolean tombstone = buff.get() == 1;
            long create = DataUtils.readVarLong(buff);
            long version = DataUtils.readVarLong(buff);
            long lease = buff.getLong();
            int n = DataUtils.readVarInt(buff);
            byte[] value = n == 0 ? EMPTY : new byte[n];
            buff.get(value);
            return new Rec(create, version, lease, tombstone, value);
        }

        @Override
        public Rec[] createStorage(int size) {
            return new Rec[size];
        }
    }
}
