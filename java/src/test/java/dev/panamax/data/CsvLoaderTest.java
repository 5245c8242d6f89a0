package dev.panamax.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void loadsFeaturesAndANamedLabelColumn() throws IOException {
        Path file = write("iris.csv", """
                sepal_length,"species",petal_length
                5.1, 0 ,1.4
                "6.2",2,-4.5e-1

                .5,1,+3
                """);
        LabeledArrays data = CsvLoader.labelColumn("species").load(file);
        assertEquals(Shape.of(3, 2), data.x().shape());
        assertArrayEquals(new float[] {5.1f, 1.4f, 6.2f, -0.45f, 0.5f, 3f}, data.x().data());
        assertArrayEquals(new float[] {0, 2, 1}, data.y().data());
    }

    @Test
    void labelColumnByIndexWithOrWithoutHeader() throws IOException {
        Path file = write("plain.csv", "1;2;3\n4;5;6\n");
        LabeledArrays last = CsvLoader.labelColumn(-1).withHeader(false).withDelimiter(';').load(file);
        assertArrayEquals(new float[] {1, 2, 4, 5}, last.x().data());
        assertArrayEquals(new float[] {3, 6}, last.y().data());
        LabeledArrays first = CsvLoader.labelColumn(0).withHeader(false).withDelimiter(';').load(file);
        assertArrayEquals(new float[] {2, 3, 5, 6}, first.x().data());
        LabeledArrays headed = CsvLoader.labelColumn(1).withDelimiter(';').load(file);
        assertEquals(1, headed.size(), "the first line is the header by default");
        assertArrayEquals(new float[] {5}, headed.y().data());
    }

    @Test
    void aNonNumberNamesTheFileLineAndColumn() throws IOException {
        Path file = write("bad.csv", "a,b,label\n1,2,0\n\n3,oops,1\n");
        var e = assertThrows(MalformedDataException.class, () -> CsvLoader.labelColumn("label").load(file));
        assertTrue(e.getMessage().contains("bad.csv line 4, column 2 ('b'): 'oops' is not a number"), e.getMessage());

        Path empty = write("empty-cell.csv", "1,,0\n");
        var e2 = assertThrows(MalformedDataException.class,
                () -> CsvLoader.labelColumn(-1).withHeader(false).load(empty));
        assertTrue(e2.getMessage().contains("line 1, column 2: empty cell"), e2.getMessage());

        // Java's parser would take these; a CSV should not.
        for (String cell : new String[] {"1f", "0x10", "NaN", "1,5"}) {
            Path odd = write("odd.csv", "x;y\n" + cell + ";1\n");
            assertThrows(MalformedDataException.class,
                    () -> CsvLoader.labelColumn("y").withDelimiter(';').load(odd), cell);
        }
    }

    @Test
    void rejectsRaggedRowsMissingLabelsAndEmptyFiles() throws IOException {
        Path ragged = write("ragged.csv", "a,b\n1,2\n3\n");
        var e = assertThrows(MalformedDataException.class, () -> CsvLoader.labelColumn("b").load(ragged));
        assertTrue(e.getMessage().contains("line 3: 1 columns, but the header has 2"), e.getMessage());

        Path ok = write("ok.csv", "a,b\n1,2\n");
        var missing = assertThrows(IllegalArgumentException.class, () -> CsvLoader.labelColumn("c").load(ok));
        assertTrue(missing.getMessage().contains("'c'") && missing.getMessage().contains("[a, b]"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvLoader.labelColumn(2).load(ok));
        assertThrows(IllegalArgumentException.class, () -> CsvLoader.labelColumn("a").withHeader(false));

        Path headerOnly = write("header.csv", "a,b\n\n");
        var none = assertThrows(MalformedDataException.class, () -> CsvLoader.labelColumn("a").load(headerOnly));
        assertTrue(none.getMessage().contains("no data rows"), none.getMessage());

        Path oneColumn = write("one.csv", "y\n1\n");
        assertThrows(MalformedDataException.class, () -> CsvLoader.labelColumn("y").load(oneColumn));
    }
}
