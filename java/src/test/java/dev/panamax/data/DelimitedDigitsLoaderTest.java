package dev.panamax.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelimitedDigitsLoaderTest {
    @TempDir
    Path dir;

    /** An optdigits-style line: 64 counts 0-16 then the class. */
    private static String optdigitsLine(int seed, int digit) {
        StringJoiner line = new StringJoiner(",");
        for (int i = 0; i < 64; i++) {
            line.add(Integer.toString((seed * 7 + i * 3) % 17));
        }
        return line.add(Integer.toString(digit)).toString();
    }

    @Test
    void loadsOptdigitsStyleRowsWithTheClassLast() throws IOException {
        Path file = Files.writeString(dir.resolve("optdigits.tra"),
                optdigitsLine(0, 3) + "\n" + optdigitsLine(1, 9) + "\n" + optdigitsLine(2, 0) + "\n");
        LabeledArrays digits = DelimitedDigitsLoader.load(file);
        assertEquals(Shape.of(3, 64), digits.x().shape());
        assertArrayEquals(new float[] {3, 9, 0}, digits.y().data());
        assertEquals((7 + 3 * 5) % 17, digits.x().data()[64 + 5], 0f);
        FloatArray images = digits.x().reshape(3, 8, 8, 1);
        assertEquals(Shape.of(3, 8, 8, 1), images.shape());
        assertThrows(IllegalArgumentException.class, () -> digits.x().reshape(3, 8, 9));
    }

    @Test
    void otherDelimiters() throws IOException {
        Path file = Files.writeString(dir.resolve("pen.txt"), "1 2 3 4\n5 6 7 1\n");
        LabeledArrays digits = DelimitedDigitsLoader.load(file, ' ');
        assertArrayEquals(new float[] {1, 2, 3, 5, 6, 7}, digits.x().data());
        assertArrayEquals(new float[] {4, 1}, digits.y().data());
    }

    @Test
    void rejectsNonIntegersNegativeClassesAndRaggedLines() throws IOException {
        Path decimal = Files.writeString(dir.resolve("decimal.tra"), "1,2,3\n4,5.5,6\n");
        var e = assertThrows(MalformedDataException.class, () -> DelimitedDigitsLoader.load(decimal));
        assertTrue(e.getMessage().contains("decimal.tra line 2, column 2: '5.5' is not an integer"), e.getMessage());

        Path negative = Files.writeString(dir.resolve("negative.tra"), "1,2,3\n\n4,5,-1\n");
        var n = assertThrows(MalformedDataException.class, () -> DelimitedDigitsLoader.load(negative));
        assertTrue(n.getMessage().contains("line 3, column 3 (the class): -1 is negative"), n.getMessage());

        Path ragged = Files.writeString(dir.resolve("ragged.tra"), "1,2,3\n4,5\n");
        var r = assertThrows(MalformedDataException.class, () -> DelimitedDigitsLoader.load(ragged));
        assertTrue(r.getMessage().contains("line 2: 2 columns, but the first line has 3"), r.getMessage());

        Path single = Files.writeString(dir.resolve("single.tra"), "1\n2\n");
        assertThrows(MalformedDataException.class, () -> DelimitedDigitsLoader.load(single));
        assertThrows(NoSuchFileException.class, () -> DelimitedDigitsLoader.load(dir.resolve("absent")));
    }
}
