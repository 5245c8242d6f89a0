// Row gather (embedding lookups) and its gradient, the scatter-add of rows.
#include "ops_common.h"

// Checks the shared arguments: the [rows, cols] view, the indices buffer and every index.
static pmx_status check_rows(const char *op, const int32_t *indices, size_t indices_len, int64_t rows,
        int64_t cols, size_t *table_count, size_t *rows_count) {
    pmx_status st;
    if ((st = pmx_check_rows_cols(op, rows, cols, table_count))) return st;
    if (indices_len < 1)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: indices_len must be at least 1, got 0", op);
    if ((st = pmx_check_buffer(op, "indices", indices, indices_len, indices_len, "ints"))) return st;
    if (!pmx_mul_sizes(op, rows_count, indices_len, (size_t)cols)) return PMX_STATUS_INVALID_ARGUMENT;
    for (size_t i = 0; i < indices_len; i++)
        if (indices[i] < 0 || indices[i] >= rows)
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                    "%s: index %d (at position %zu of indices) is out of range for a table of %lld rows", op,
                    indices[i], i, (long long)rows);
    return PMX_STATUS_OK;
}

pmx_status pmx_gather_rows(float *dst, size_t dst_len, const float *table, size_t table_len,
        const int32_t *indices, size_t indices_len, int64_t rows, int64_t cols) {
    static const char op[] = "pmx_gather_rows";
    pmx_status st;
    size_t table_count, dst_count;
    if ((st = check_rows(op, indices, indices_len, rows, cols, &table_count, &dst_count))
            || (st = pmx_check_buffer(op, "table", table, table_len, table_count, "floats"))
            || (st = pmx_check_buffer(op, "dst", dst, dst_len, dst_count, "floats")))
        return st;
    size_t c = (size_t)cols;
    if (dst_count <= PMX_PARALLEL_MIN) {
        for (size_t i = 0; i < indices_len; i++)
            memcpy(dst + i * c, table + (size_t)indices[i] * c, c * sizeof(float));
        return PMX_STATUS_OK;
    }
    pmx_threads_apply();
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < indices_len; i++)
        memcpy(dst + i * c, table + (size_t)indices[i] * c, c * sizeof(float));
    return PMX_STATUS_OK;
}

/// Columns per scatter-add task (4 KiB of each row), as the Java backend splits them.
#define COLUMN_BLOCK ((size_t)1024)

// Adds column block b of every diff_dst row into its table row, in position order.
static void add_block(float *diff_table, const float *diff_dst, const int32_t *indices, size_t n, size_t cols,
        size_t b) {
    size_t c0 = b * COLUMN_BLOCK, width = cols - c0 < COLUMN_BLOCK ? cols - c0 : COLUMN_BLOCK;
    for (size_t i = 0; i < n; i++) {
        float *restrict t = diff_table + (size_t)indices[i] * cols + c0;
        const float *restrict s = diff_dst + i * cols + c0;
        for (size_t c = 0; c < width; c++) t[c] += s[c];
    }
}

pmx_status pmx_scatter_add_rows(float *diff_table, size_t diff_table_len, const float *diff_dst,
        size_t diff_dst_len, const int32_t *indices, size_t indices_len, int64_t rows, int64_t cols) {
    static const char op[] = "pmx_scatter_add_rows";
    pmx_status st;
    size_t table_count, dst_count;
    if ((st = check_rows(op, indices, indices_len, rows, cols, &table_count, &dst_count))
            || (st = pmx_check_buffer(op, "diff_table", diff_table, diff_table_len, table_count, "floats"))
            || (st = pmx_check_buffer(op, "diff_dst", diff_dst, diff_dst_len, dst_count, "floats")))
        return st;
    memset(diff_table, 0, table_count * sizeof(float));
    // Tasks own column blocks, never rows: a repeated index would race, and each element must
    // sum its rows in position order to match every other backend and thread count.
    size_t c = (size_t)cols, blocks = (c + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
    if (dst_count <= PMX_PARALLEL_MIN || blocks == 1) {
        for (size_t b = 0; b < blocks; b++) add_block(diff_table, diff_dst, indices, indices_len, c, b);
        return PMX_STATUS_OK;
    }
    pmx_threads_apply();
#pragma omp parallel for schedule(static)
    for (size_t b = 0; b < blocks; b++) add_block(diff_table, diff_dst, indices, indices_len, c, b);
    return PMX_STATUS_OK;
}
