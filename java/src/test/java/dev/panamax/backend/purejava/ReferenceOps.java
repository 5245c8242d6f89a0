package dev.panamax.backend.purejava;

import dev.panamax.backend.Activation;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;

/**
 * The ops straight from their definitions, in double precision, as naive loops: the oracle of
 * the Java backend's tests (forward values, backward values, and central differences).
 */
final class ReferenceOps {
    private ReferenceOps() {
    }

    /** {@code op(a) · op(b)}, op(a) {@code [m, k]}, op(b) {@code [k, n]}. */
    static double[] matmul(double[] a, boolean ta, double[] b, boolean tb, int m, int n, int k) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    /** {@code act(x · kernel + bias)}; bias may be null. */
    static double[] dense(double[] x, double[] kernel, double[] bias, int n, int in, int out, Activation act,
                          double alpha) {
        double[] y = matmul(x, false, kernel, false, n, out, in);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < out; j++) {
                double v = y[i * out + j] + (bias == null ? 0 : bias[j]);
                y[i * out + j] = act.apply(v, alpha);
            }
        }
        return y;
    }

    /** Source offset of (n, ih, iw, channel) in NHWC, or -1 in the padding. */
    private static int srcIndex(Conv2dSpec s, int n, long ih, long iw, int c) {
        if (ih < 0 || ih >= s.inHeight() || iw < 0 || iw >= s.inWidth()) return -1;
        return (int) (((n * s.inHeight() + ih) * s.inWidth() + iw) * s.inChannels() + c);
    }

    /**
     * Visits every term {@code src[si] · wei[wi]} of {@code dst[di]} of a grouped, dilated, padded
     * convolution; forward and both backward passes are this one loop.
     */
    private interface ConvTerm {
        void accept(int di, int si, int wi);
    }

    private static void forEachTerm(Conv2dSpec s, ConvTerm term) {
        int outC = (int) s.outChannels();
        int cig = (int) (s.inChannels() / s.groups());
        int og = (int) (s.outChannels() / s.groups());
        int kw = (int) s.kernelWidth();
        for (int n = 0; n < s.batch(); n++) {
            for (int oh = 0; oh < s.outHeight(); oh++) {
                for (int ow = 0; ow < s.outWidth(); ow++) {
                    for (int oc = 0; oc < outC; oc++) {
                        int di = (int) (((n * s.outHeight() + oh) * s.outWidth() + ow) * outC + oc);
                        int g = oc / og;
                        for (int r = 0; r < s.kernelHeight(); r++) {
                            for (int c = 0; c < kw; c++) {
                                long ih = oh * s.strideHeight() - s.padTop() + r * s.dilationHeight();
                                long iw = ow * s.strideWidth() - s.padLeft() + c * s.dilationWidth();
                                for (int ci = 0; ci < cig; ci++) {
                                    int si = srcIndex(s, n, ih, iw, g * cig + ci);
                                    if (si >= 0) term.accept(di, si, ((r * kw + c) * cig + ci) * outC + oc);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code conv(src, wei) + bias}; bias may be null. */
    static double[] conv2d(Conv2dSpec s, double[] src, double[] wei, double[] bias) {
        double[] dst = new double[(int) s.dstShape().size()];
        if (bias != null) {
            for (int i = 0; i < dst.length; i++) dst[i] = bias[(int) (i % s.outChannels())];
        }
        forEachTerm(s, (di, si, wi) -> dst[di] += src[si] * wei[wi]);
        return dst;
    }

    static double[] conv2dBackwardData(Conv2dSpec s, double[] diffDst, double[] wei) {
        double[] diffSrc = new double[(int) s.srcShape().size()];
        forEachTerm(s, (di, si, wi) -> diffSrc[si] += diffDst[di] * wei[wi]);
        return diffSrc;
    }

    static double[] conv2dBackwardWeights(Conv2dSpec s, double[] src, double[] diffDst) {
        double[] diffWei = new double[(int) s.weightsShape().size()];
        forEachTerm(s, (di, si, wi) -> diffWei[wi] += diffDst[di] * src[si]);
        return diffWei;
    }

    static double[] conv2dBackwardBias(Conv2dSpec s, double[] diffDst) {
        double[] diffBias = new double[(int) s.outChannels()];
        for (int i = 0; i < diffDst.length; i++) diffBias[(int) (i % s.outChannels())] += diffDst[i];
        return diffBias;
    }

    /** Pooling forward; max takes the first maximum in window order, padding never counts. */
    static double[] pool2d(Pool2dSpec s, double[] src) {
        int c = (int) s.channels();
        double[] dst = new double[(int) s.dstShape().size()];
        for (int n = 0; n < s.batch(); n++) {
            for (int oh = 0; oh < s.outHeight(); oh++) {
                for (int ow = 0; ow < s.outWidth(); ow++) {
                    for (int ch = 0; ch < c; ch++) {
                        double best = Double.NEGATIVE_INFINITY;
                        double sum = 0;
                        int count = 0;
                        for (int r = 0; r < s.kernelHeight(); r++) {
                            for (int q = 0; q < s.kernelWidth(); q++) {
                                long ih = oh * s.strideHeight() - s.padTop() + r;
                                long iw = ow * s.strideWidth() - s.padLeft() + q;
                                if (ih < 0 || ih >= s.inHeight() || iw < 0 || iw >= s.inWidth()) continue;
                                double v = src[(int) (((n * s.inHeight() + ih) * s.inWidth() + iw) * c + ch)];
                                best = Math.max(best, v);
                                sum += v;
                                count++;
                            }
                        }
                        double out = switch (s.kind()) {
                            case MAX -> best;
                            case AVG_EXCLUDE_PAD -> sum / count;
                            case AVG_INCLUDE_PAD -> sum / (s.kernelHeight() * s.kernelWidth());
                        };
                        dst[(int) (((n * s.outHeight() + oh) * s.outWidth() + ow) * c + ch)] = out;
                    }
                }
            }
        }
        return dst;
    }

    /** Batch norm over rows of {@code [rows, c]} with the batch's own mean and biased variance. */
    static double[] batchNormTraining(double[] x, int c, double[] gamma, double[] beta, double eps, boolean relu) {
        double[][] stats = batchStats(x, c);
        return batchNorm(x, c, gamma, beta, stats[0], stats[1], eps, relu);
    }

    /** {@code {mean, variance}} per channel. */
    static double[][] batchStats(double[] x, int c) {
        int rows = x.length / c;
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int i = 0; i < x.length; i++) mean[i % c] += x[i] / rows;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean[i % c];
            var[i % c] += d * d / rows;
        }
        return new double[][] {mean, var};
    }

    static double[] batchNorm(double[] x, int c, double[] gamma, double[] beta, double[] mean, double[] var,
                              double eps, boolean relu) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = i % c;
            double v = gamma[ch] * (x[i] - mean[ch]) / Math.sqrt(var[ch] + eps) + beta[ch];
            y[i] = relu ? Math.max(v, 0) : v;
        }
        return y;
    }
}
