package dev.okube.auth.tokenfile;

import dev.okube.api.admission.UserInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's static token file: CSV lines {@code token,user,uid[,"group1,group2"]}. Empty lines and
 * lines starting with {@code #} are skipped; a line that is not valid is logged with its number and
 * skipped (upstream refuses the whole file; one typo must not lock every user out of a running
 * cluster). Users get no system:authenticated here: the apiserver's chain adds it, as upstream's
 * group adder. The file is read again whenever its modification time, size or identity changed, checked
 * at each lookup: a stat per request, no polling thread. A missing file knows no tokens.
 */
final class TokenFile {
    private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);

    /** What identifies one version of the file; null when the file does not exist. */
    private record Stamp(long modified, long size, Object key) {
    }

    private final Path path;
    private volatile Map<String, UserInfo> tokens = Map.of();
    private volatile Stamp loaded;
    private volatile boolean everLoaded;

    TokenFile(Path path) {
        this.path = Objects.requireNonNull(path, "path should not be null");
    }

    Path path() {
        return path;
    }

    /** The user of a token, reading the file again first if it changed. */
    Optional<UserInfo> lookup(String token) {
        refresh();
        return Optional.ofNullable(tokens.get(token));
    }

    /** How many tokens the file holds now. */
    int size() {
        refresh();
        return tokens.size();
    }

    void refresh() {
        Stamp now = stamp();
        if (everLoaded && Objects.equals(now, loaded)) {
            return;
        }
        synchronized (this) {
            now = stamp();
            if (everLoaded && Objects.equals(now, loaded)) {
                return;
            }
            Map<String, UserInfo> read;
            if (now == null) {
                if (everLoaded && loaded != null) {
                    LOG.info("token file {} is gone: no static tokens are valid now", path);
                }
                read = Map.of();
            } else {
                try {
                    read = parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
                    LOG.info("read {} token(s) from {}", read.size(), path);
                } catch (NoSuchFileException e) {
                    read = Map.of();
                    now = null;
                } catch (IOException | RuntimeException e) {
                    // Keep the tokens we had: a half-written file must not lock everyone out.
                    LOG.warn("cannot read token file {}: {}; keeping the {} token(s) read before", path, e.toString(),
                            tokens.size());
                    return;
                }
            }
            tokens = read;
            loaded = now;
            everLoaded = true;
        }
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses the file's text; bad lines are logged and skipped. */
    static Map<String, UserInfo> parse(String text, String source) {
        Map<String, UserInfo> result = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i];
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            List<String> fields;
            try {
                fields = csv(line);
            } catch (IllegalArgumentException e) {
                LOG.warn("token file {}, line {}: {}; line skipped", source, number, e.getMessage());
                continue;
            }
            if (fields.size() < 3) {
                LOG.warn("token file {}, line {}: must have at least 3 columns (token, user name, user uid), found {}; "
                        + "line skipped", source, number, fields.size());
                continue;
            }
            String token = fields.get(0);
            if (token.isEmpty()) {
                LOG.warn("token file {}, line {}: empty token; line skipped", source, number);
                continue;
            }
            if (fields.get(1).isEmpty()) {
                LOG.warn("token file {}, line {}: empty user name; line skipped", source, number);
                continue;
            }
            Set<String> groups = new LinkedHashSet<>();
            if (fields.size() >= 4) {
                for (String group : fields.get(3).split(",")) {
                    if (!group.isBlank()) {
                        groups.add(group.strip());
                    }
                }
            }
            if (result.containsKey(token)) {
                LOG.warn("token file {}, line {}: duplicate token; the later line wins", source, number);
            }
            result.put(token, new UserInfo(fields.get(1), fields.get(2), new ArrayList<>(groups), Map.of()));
        }
        return Map.copyOf(result);
    }

    /**
     * One CSV record as Go's encoding/csv reads it with TrimLeadingSpace: comma-separated fields,
     * double-quoted fields may hold commas and doubled quotes.
     */
    static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            StringBuilder field = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("extraneous or missing \" in quoted-field");
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("extraneous \" in field " + (fields.size() + 1));
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        throw new IllegalArgumentException("bare \" in non-quoted-field " + (fields.size() + 1));
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }
}
