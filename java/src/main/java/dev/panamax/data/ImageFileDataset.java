package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Image files decoded one by one when asked for, each labelled with its class index (see {@link ImageFolderLoader#dataset}). */
final class ImageFileDataset implements Dataset {
    private static final Shape LABEL_SHAPE = Shape.of(new long[0]);

    private final List<Path> files;
    private final int[] labels;
    private final ImageDecoder decoder;
    private final Shape imageShape;

    ImageFileDataset(List<Path> files, int[] labels, ImageDecoder decoder) {
        this.files = files;
        this.labels = labels;
        this.decoder = decoder;
        this.imageShape = decoder.shape();
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public Example get(int epoch, int index) {
        DatasetIndex.check(epoch, index, size());
        try {
            return new Example(decoder.decode(files.get(index)), imageShape, new float[] {labels[index]}, LABEL_SHAPE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
