package dev.okube.apiserver.config;

import java.util.ArrayList;
import java.util.List;

/**
 * List-valued configuration as it arrives: from a {@code .cfg} file a list is one comma-separated
 * string (Felix fileinstall does not split it and DS turns it into a one-element array); from
 * typed configuration it is an array. Both give the same list here.
 */
public final class ConfigLists {
    private ConfigLists() {
    }

    public static List<String> of(String[] values) {
        List<String> list = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        list.add(item.trim());
                    }
                }
            }
        }
        return List.copyOf(list);
    }
}
