package io.retraintrigger.model;

import java.util.Locale;

/**
 * The dedup key of an event in every store: the source's own id, within its cloud ({@code aws:<id>}).
 * Event ids are the clouds' (an S3 key alone may be 1,024 bytes): a key longer than {@value #MAX_KEY}
 * characters is kept as its hash, in every store.
 */
public final class EventKeys {
    public static final int MAX_KEY = 256;

    private EventKeys() {
    }

    public static String of(TriggerEvent e) {
        String cloud = e.cloud().name().toLowerCase(Locale.ROOT);
        String key = cloud + ":" + e.id();
        return key.length() <= MAX_KEY ? key : cloud + ":#sha256:" + Digests.sha256(key);
    }
}
