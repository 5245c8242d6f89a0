package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.Sizes.roundUp4;
import static dev.panamax.backend.purejava.Sizes.toInt;

import dev.panamax.backend.Conv2dSpec;

/**
 * A {@link Conv2dSpec} as the int indices every convolution pass uses. The im2col row
 * {@code k = (r · kw + s) · cig + ci} walks the HWIO rows of one group, so the weights of
 * group g are the columns {@code [g · og, (g + 1) · og)} of the {@code [kTotal][outC]} matrix.
 */
final class ConvGeometry {
    /** Output pixels per tile: the kernels' contiguous inner loops run over them. */
    static final int PIXELS = 256;

    final int batch;
    final int inH;
    final int inW;
    final int inC;
    final int outH;
    final int outW;
    final int outC;
    final int outPixels;
    final int kh;
    final int kw;
    final int sh;
    final int sw;
    final int pt;
    final int pl;
    final int dh;
    final int dw;
    final int groups;
    /** Input channels per group. */
    final int cig;
    /** Output channels per group. */
    final int og;
    final int og4;
    /** im2col rows of one group: {@code kh · kw · cig}. */
    final int kTotal;
    final int kTotal4;
    /** One input channel per output channel: direct loops beat a GEMM of one row. */
    final boolean depthwise;
    /** Output pixels per tile. */
    final int tile;

    ConvGeometry(Conv2dSpec spec) {
        batch = toInt(spec.batch());
        inH = toInt(spec.inHeight());
        inW = toInt(spec.inWidth());
        inC = toInt(spec.inChannels());
        outH = toInt(spec.outHeight());
        outW = toInt(spec.outWidth());
        outC = toInt(spec.outChannels());
        outPixels = toInt(Math.multiplyExact(spec.outHeight(), spec.outWidth()));
        kh = toInt(spec.kernelHeight());
        kw = toInt(spec.kernelWidth());
        sh = toInt(spec.strideHeight());
        sw = toInt(spec.strideWidth());
        pt = toInt(spec.padTop());
        pl = toInt(spec.padLeft());
        dh = toInt(spec.dilationHeight());
        dw = toInt(spec.dilationWidth());
        groups = toInt(spec.groups());
        cig = inC / groups;
        og = outC / groups;
        og4 = roundUp4(og);
        kTotal = toInt(spec.kernelHeight() * spec.kernelWidth() * cig);
        kTotal4 = roundUp4(kTotal);
        toInt((long) inH * inW * inC); // one image must fit a Java array
        toInt((long) outPixels * outC);
        depthwise = cig == 1 && og == 1;
        tile = Math.min(PIXELS, outPixels);
    }

    int imageSize() {
        return inH * inW * inC;
    }

    /** Top input row (maybe negative, in the padding) of output pixel q's window. */
    int rowBase(int q) {
        return q / outW * sh - pt;
    }

    /** Left input column (maybe negative) of output pixel q's window. */
    int colBase(int q) {
        return q % outW * sw - pl;
    }
}
