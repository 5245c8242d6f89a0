package dev.panamax.backend;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Argument checks of the row gather ({@link Backend#gatherRows}) and its gradient
 * ({@link Backend#scatterAddRows}), shared by every backend: each names the op and every shape,
 * and every index is checked against the table size before any work or native call.
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
        String shapes = "table=" + table.describeShape() + ", indices=" + indices.describeShape() + ", dst="
                + dst.describeShape();
        check(op, "table", table, "dst", dst, indices, shapes);
    }

    /** diffDst of indices' shape plus {@code [cols]}, diffTable {@code [rows, cols]} float32, indices int32. */
    public static void scatterAddRows(Tensor diffDst, Tensor indices, Tensor diffTable) {
        String op = "scatterAddRows";
        notNull(op, "diffDst", diffDst);
        notNull(op, "indices", indices);
        notNull(op, "diffTable", diffTable);
        String shapes = "diffDst=" + diffDst.describeShape() + ", indices=" + indices.describeShape()
                + ", diffTable=" + diffTable.describeShape();
        check(op, "diffTable", diffTable, "diffDst", diffDst, indices, shapes);
    }

    private static void check(String op, String tableName, Tensor table, String rowsName, Tensor gathered,
                              Tensor indices, String shapes) {
        plainFloat(op, tableName, table, shapes);
        plainFloat(op, rowsName, gathered, shapes);
        indices.segment(); // throws IllegalStateException if its scope is closed
        if (!indices.layout().isRowMajor() || indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": indices must be row-major int32; got " + shapes);
        }
        if (table.shape().rank() != 2) {
            throw new IllegalArgumentException(op + ": " + tableName + " must be [rows, cols]; got " + shapes);
        }
        long rows = table.shape().dim(0);
        long cols = table.shape().dim(1);
        long[] expected = new long[indices.shape().rank() + 1];
        System.arraycopy(indices.shape().dims(), 0, expected, 0, expected.length - 1);
        expected[expected.length - 1] = cols;
        if (!gathered.shape().equals(Shape.of(expected))) {
            throw new IllegalArgumentException(op + ": " + rowsName + " must be " + Shape.of(expected)
                    + " (indices' shape plus the table's columns); got " + shapes);
        }
        for (Tensor in : new Tensor[] {gathered, indices}) {
            if (table.segment().asOverlappingSlice(in.segment()).isPresent()) {
                throw new IllegalArgumentException(op + ": " + tableName + " overlaps "
                        + (in == indices ? "indices" : rowsName) + "; got " + shapes);
            }
        }
        if (gathered.segment().asOverlappingSlice(indices.segment()).isPresent()) {
            throw new IllegalArgumentException(op + ": " + rowsName + " overlaps indices; got " + shapes);
        }
        MemorySegment s = indices.segment();
        for (long i = 0, n = indices.size(); i < n; i++) {
            int index = s.getAtIndex(ValueLayout.JAVA_INT, i);
            if (index < 0 || index >= rows) {
                throw new IllegalArgumentException(op + ": index " + index + " (at position " + i
                        + " of indices) is out of range for a table of " + rows + " rows; got " + shapes);
            }
        }
    }

    private static void plainFloat(String op, String name, Tensor t, String shapes) {
        t.segment(); // throws IllegalStateException if its scope is closed
        if (!t.layout().isRowMajor() || t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": " + name + " must be row-major float32; got " + shapes);
        }
    }

    private static void notNull(String op, String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }
}
