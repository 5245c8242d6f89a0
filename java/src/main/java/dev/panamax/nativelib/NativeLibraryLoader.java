package dev.panamax.nativelib;

import dev.panamax.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Loads libpanamax.so and the oneDNN/OpenBLAS libraries it needs, by absolute path, in
 * dependency order. RUNPATH alone is not enough (libgfortran has none), and the generated
 * bindings find their symbols through {@code SymbolLookup.loaderLookup()}, so every library is
 * loaded with {@link System#load} before any binding class is touched.
 *
 * <p>Where the libraries come from, first match wins:
 * <ol>
 *   <li>the folder named by the system property {@value #DIR_PROPERTY}, used as it is;</li>
 *   <li>the class path folder itself when the classes are not in a jar (a Maven build);</li>
 *   <li>the jar's copy, extracted once into a versioned cache folder
 *       ({@value #CACHE_PROPERTY}, else {@code $XDG_CACHE_HOME/panamax}, else
 *       {@code ~/.cache/panamax}) through a temp file and an atomic move, and reused.</li>
 * </ol>
 * Nothing is ever downloaded.
 */
public final class NativeLibraryLoader {
    public static final String DIR_PROPERTY = "panamax.native.dir";
    public static final String CACHE_PROPERTY = "panamax.cache.dir";
    public static final String PLATFORM = "linux-x86_64";
    static final String RESOURCE_DIR = "/dev/panamax/native/" + PLATFORM + "/";
    static final String LISTING = "libraries.txt";

    private static Loaded loaded;
    private static NativeLoadException failure;

    /** Where the libraries were loaded from, and which, in order. */
    public record Loaded(Path directory, String origin, List<String> libraries) {
    }

    private record Entry(String name, String sha256, long size) {
    }

    private NativeLibraryLoader() {
    }

    /**
     * Loads the libraries once per JVM; later calls return the same result, or throw the same
     * failure again (a half-loaded set of libraries cannot be retried safely).
     */
    public static synchronized Loaded load() {
        if (loaded != null) return loaded;
        if (failure != null) throw new NativeLoadException(failure.getMessage(), failure);
        List<String> tried = new ArrayList<>();
        try {
            loaded = locateAndLoad(tried);
            return loaded;
        } catch (NativeLoadException e) {
            failure = e;
            throw e;
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            failure = new NativeLoadException("Panamax native libraries could not be loaded. Tried: "
                    + String.join("; ", tried) + ". Cause: " + e, e);
            throw failure;
        }
    }

    private static Loaded locateAndLoad(List<String> tried) throws IOException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new NativeLoadException("Panamax native libraries exist for " + PLATFORM + " only; this JVM runs on "
                    + os + "-" + arch + ". The java backend still works.", null);
        }
        String override = System.getProperty(DIR_PROPERTY);
        if (override != null) {
            Path dir = Path.of(override).toAbsolutePath();
            tried.add("-D" + DIR_PROPERTY + "=" + dir);
            List<Entry> entries = readListing(Files.newInputStream(dir.resolve(LISTING)), dir.resolve(LISTING).toString());
            return loadAll(dir, "override " + DIR_PROPERTY, entries, tried);
        }
        URL listingUrl = NativeLibraryLoader.class.getResource(RESOURCE_DIR + LISTING);
        if (listingUrl == null) {
            tried.add("class path resource " + RESOURCE_DIR + LISTING);
            throw new NativeLoadException("Panamax native libraries are missing from the class path (no "
                    + RESOURCE_DIR + LISTING + "): the panamax jar was built without its native part. Tried: "
                    + String.join("; ", tried), null);
        }
        List<Entry> entries;
        try (InputStream in = listingUrl.openStream()) {
            entries = readListing(in, listingUrl.toString());
        }
        if (listingUrl.getProtocol().equals("file")) {
            Path dir;
            try {
                dir = Path.of(listingUrl.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IOException("bad resource URL " + listingUrl, e);
            }
            tried.add("class path folder " + dir);
            return loadAll(dir, "class path folder", entries, tried);
        }
        Path dir = cacheDirectory(entries);
        tried.add("cache " + dir);
        extract(dir, entries);
        return loadAll(dir, "extracted from the jar", entries, tried);
    }

    private static List<Entry> readListing(InputStream in, String where) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            if (f.length != 3 || f[0].contains("/") || f[1].length() != 64) {
                throw new IOException("malformed line '" + line + "' in " + where);
            }
            entries.add(new Entry(f[0], f[1], Long.parseLong(f[2])));
        }
        if (entries.isEmpty() || !entries.getLast().name().equals("libpanamax.so")) {
            throw new IOException(where + " must list the libraries in load order, ending with libpanamax.so");
        }
        return entries;
    }

    private static Path cacheDirectory(List<Entry> entries) {
        String base = System.getProperty(CACHE_PROPERTY);
        Path root;
        if (base != null) {
            root = Path.of(base);
        } else if (System.getenv("XDG_CACHE_HOME") != null && !System.getenv("XDG_CACHE_HOME").isBlank()) {
            root = Path.of(System.getenv("XDG_CACHE_HOME"), "panamax");
        } else {
            root = Path.of(System.getProperty("user.home"), ".cache", "panamax");
        }
        // The content hash in the name keeps two builds of one version apart.
        String key = entries.getLast().sha256().substring(0, 16);
        return root.toAbsolutePath().resolve(Version.get() + "-" + key).resolve(PLATFORM);
    }

    private static void extract(Path dir, List<Entry> entries) throws IOException {
        Files.createDirectories(dir);
        for (Entry e : entries) {
            Path target = dir.resolve(e.name());
            if (Files.isRegularFile(target) && Files.size(target) == e.size()) continue;
            Path temp = Files.createTempFile(dir, e.name() + ".", ".part");
            try {
                String sha;
                try (InputStream raw = NativeLibraryLoader.class.getResourceAsStream(RESOURCE_DIR + e.name())) {
                    if (raw == null) throw new IOException("the jar lacks " + RESOURCE_DIR + e.name());
                    MessageDigest digest = sha256();
                    try (InputStream in = new DigestInputStream(raw, digest);
                         OutputStream out = Files.newOutputStream(temp)) {
                        in.transferTo(out);
                    }
                    sha = HexFormat.of().formatHex(digest.digest());
                }
                if (!sha.equals(e.sha256())) {
                    throw new IOException(e.name() + " in the jar has SHA-256 " + sha + ", expected " + e.sha256());
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException ex) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static Loaded loadAll(Path dir, String origin, List<Entry> entries, List<String> tried) {
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            Path lib = dir.resolve(e.name());
            try {
                System.load(lib.toString());
            } catch (UnsatisfiedLinkError ex) {
                throw new NativeLoadException("Panamax native library " + lib + " failed to load (" + ex.getMessage()
                        + "). Loaded before it: " + names + ". Tried: " + String.join("; ", tried)
                        + ". Needs Linux x86-64 with glibc >= 2.34, libstdc++ and libgcc_s.", ex);
            }
            names.add(e.name());
        }
        return new Loaded(dir, origin, List.copyOf(names));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
