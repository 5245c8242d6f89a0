package dev.panamax.backend;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Argument checks of the row gather ({@link Backend#gatherRows}) and its gradient
 * ({@link Backend#scatterAddRows}), shared by every backend: each names the op and every shape,
 * and every index is checked against the table size before any work or native call. A call
 * that passes allocates nothing: the text naming the operands is built only in the throw.
 */
public final class GatherOpChecks {
    private GatherOpChecks() {
    }

    /** table {@code [rows, cols]} float32, indices int32 of any shape, dst of indices' shape plus {@code [cols]}. */
    public static void gatherRows(Tensor table, Tensor indices, Tensor dst) {
        String op = "gatherRows";
        notNull(op, "table", table);
        notNull(op, "indices", indices);
        notNull(op, "dst", dst);
        String bad = problem("table", table, "dst", dst, indices);
        if (bad != null) {
            throw new IllegalArgumentException(op + ": " + bad + "; got table=" + table.describeShape() + ", indices="
                    + indices.describeShape() + ", dst=" + dst.describeShape());
        }
    }

    /** diffDst of indices' shape plus {@code [cols]}, diffTable {@code [rows, cols]} float32, indices int32. */
    public static void scatterAddRows(Tensor diffDst, Tensor indices, Tensor diffTable) {
        String op = "scatterAddRows";
        notNull(op, "diffDst", diffDst);
        notNull(op, "indices", indices);
        notNull(op, "diffTable", diffTable);
        String bad = problem("diffTable", diffTable, "diffDst", diffDst, indices);
        if (bad != null) {
            throw new IllegalArgumentException(op + ": " + bad + "; got diffDst=" + diffDst.describeShape()
                    + ", indices=" + indices.describeShape() + ", diffTable=" + diffTable.describeShape());
        }
    }

    private static String problem(String tableName, Tensor table, String rowsName, Tensor gathered, Tensor indices) {
        String bad = plainFloat(tableName, table);
        if (bad == null) bad = plainFloat(rowsName, gathered);
        if (bad != null) return bad;
        indices.segment(); // throws IllegalStateException if its scope is closed
        if (!indices.layout().isRowMajor() || indices.dtype() != DType.INT32) return "indices must be row-major int32";
        if (table.shape().rank() != 2) return tableName + " must be [rows, cols]";
        long rows = table.shape().dim(0);
        long cols = table.shape().dim(1);
        Shape is = indices.shape();
        Shape gs = gathered.shape();
        boolean matches = gs.rank() == is.rank() + 1 && gs.dim(-1) == cols;
        for (int i = 0; matches && i < is.rank(); i++) matches = gs.dim(i) == is.dim(i);
        if (!matches) {
            long[] expected = Arrays.copyOf(is.dims(), is.rank() + 1);
            expected[expected.length - 1] = cols;
            return rowsName + " must be " + Shape.of(expected) + " (indices' shape plus the table's columns)";
        }
        if (Overlap.overlaps(table.segment(), gathered.segment())) return tableName + " overlaps " + rowsName;
        if (Overlap.overlaps(table.segment(), indices.segment())) return tableName + " overlaps indices";
        if (Overlap.overlaps(gathered.segment(), indices.segment())) return rowsName + " overlaps indices";
        MemorySegment s = indices.segment();
        for (long i = 0, n = indices.size(); i < n; i++) {
            int index = s.getAtIndex(ValueLayout.JAVA_INT, i);
            if (index < 0 || index >= rows) {
                return "index " + index + " (at position " + i + " of indices) is out of range for a table of " + rows
                        + " rows";
            }
        }
        return null;
    }

    private static String plainFloat(String name, Tensor t) {
        t.segment(); // throws IllegalStateException if its scope is closed
        if (!t.layout().isRowMajor() || t.dtype() != DType.FLOAT32) return name + " must be row-major float32";
        return null;
    }

    private static void notNull(String op, String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }
}
