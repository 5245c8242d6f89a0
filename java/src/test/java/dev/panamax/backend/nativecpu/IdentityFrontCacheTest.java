package dev.panamax.backend.nativecpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityFrontCacheTest {

    @Test
    void hitsOnlyTheSameObjectsAndThreadCount() {
        IdentityFrontCache<String> cache = new IdentityFrontCache<>();
        Object spec = new Object();
        Object postOps = new Object();
        cache.put(spec, postOps, 2, "conv");
        assertSame("conv", cache.get(spec, postOps, 2));
        assertNull(cache.get(spec, postOps, 1), "another thread count");
        assertNull(cache.get(spec, new Object(), 2), "equal is not enough: the same post-ops object");
        assertNull(cache.get(new Object(), postOps, 2));
        cache.put(spec, null, 2, "pool");
        assertSame("pool", cache.get(spec, null, 2));
        assertSame("conv", cache.get(spec, postOps, 2), "both keys of one spec are kept");
        cache.clear();
        assertNull(cache.get(spec, postOps, 2));
    }

    @Test
    void manyKeysNeverAnswerWrongly() {
        IdentityFrontCache<Integer> cache = new IdentityFrontCache<>();
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Object k = new Object();
            keys.add(k);
            cache.put(k, null, 1, i);
        }
        int hits = 0;
        for (int i = 0; i < keys.size(); i++) {
            Integer v = cache.get(keys.get(i), null, 1);
            if (v != null) {
                assertEquals(i, v, "a hit is always the value put for that very key");
                hits++;
            }
        }
        // more keys than slots: old ones were overwritten, the latest one stays
        assertEquals(keys.size() - 1, cache.get(keys.get(keys.size() - 1), null, 1));
        assertTrue(hits > 0 && hits <= 512, "hits " + hits);
    }
}
