package dev.panamax.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fails when panamax.h and the committed jextract output disagree: run bindings/generate.sh. */
class BindingsDriftTest {
    private static final Pattern FUNCTION = Pattern.compile(
            "PMX_API\\s+[\\w\\s*]+?\\b(pmx_\\w+)\\s*\\(([^)]*)\\)\\s*;");
    private static final Pattern ENUM_CONSTANT = Pattern.compile("^\\s*(PMX_\\w+)\\s*=", Pattern.MULTILINE);
    private static final Pattern DEFINE_CONSTANT = Pattern.compile("^#define\\s+(PMX_\\w+)\\s+\\d+", Pattern.MULTILINE);
    private static final Pattern STRUCT = Pattern.compile("typedef\\s+struct\\s+(pmx_\\w+)\\s*\\{");
    private static final String HINT = " (header and bindings drifted apart: run bindings/generate.sh)";

    private static String header;

    @BeforeAll
    static void readHeader() throws IOException {
        Path path = Path.of(System.getProperty("panamax.header", "../native/include/panamax.h"));
        // Strip comments so documentation examples cannot count as declarations.
        header = Files.readString(path).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }

    @Test
    void everyHeaderFunctionIsBoundWithTheSameArity() {
        Map<String, Integer> declared = new TreeMap<>();
        Matcher m = FUNCTION.matcher(header);
        while (m.find()) declared.put(m.group(1), arity(m.group(2)));
        assertFalse(declared.isEmpty(), "no functions parsed from panamax.h");

        Map<String, Integer> bound = new TreeMap<>();
        for (Method method : panamax_h.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) && method.getName().matches("pmx_\\w+")
                    && !method.getName().contains("$")) {
                bound.put(method.getName(), method.getParameterCount());
            }
        }
        assertEquals(declared, bound, "functions of panamax.h vs panamax_h" + HINT);
    }

    @Test
    void everyHeaderConstantIsBound() {
        Set<String> declared = new TreeSet<>();
        for (Pattern p : new Pattern[] {ENUM_CONSTANT, DEFINE_CONSTANT}) {
            Matcher m = p.matcher(header);
            while (m.find()) declared.add(m.group(1));
        }
        Set<String> bound = Arrays.stream(panamax_h.class.getMethods())
                .filter(method -> Modifier.isStatic(method.getModifiers()) && method.getParameterCount() == 0)
                .map(Method::getName)
                .filter(name -> name.startsWith("PMX_"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, bound, "constants of panamax.h vs panamax_h" + HINT);
    }

    @Test
    void everyHeaderStructHasAClass() throws IOException {
        Set<String> declared = new TreeSet<>();
        Matcher m = STRUCT.matcher(header);
        while (m.find()) declared.add(m.group(1));
        Path dir = Path.of(System.getProperty("panamax.header", "../native/include/panamax.h"))
                .getParent().resolve("../../bindings/src/main/java/dev/panamax/bindings").normalize();
        Set<String> bound;
        try (var files = Files.list(dir)) {
            bound = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("pmx_") && n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(declared, bound, "structs of panamax.h vs generated classes" + HINT);
    }

    private static int arity(String params) {
        String p = params.strip();
        if (p.isEmpty() || p.equals("void")) return 0;
        return p.split(",").length;
    }
}
