package dev.panamax.cli;

import dev.panamax.layers.AveragePooling2D;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Dropout;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.models.Sequential;
import java.util.List;

/** The models {@code panamax train --model} knows, for 28x28x1 digits and 10 classes. */
final class ModelPresets {
    static final List<String> NAMES = List.of("mnist-convnet", "lenet5", "mlp");

    private ModelPresets() {
    }

    static Sequential create(String name) {
        return switch (name) {
            // Keras' "Simple MNIST convnet" example: 34,826 parameters
            case "mnist-convnet" -> new Sequential("mnist_convnet", Input.shape(28, 28, 1),
                    new Conv2D(32, 3, "relu"), new MaxPooling2D(2),
                    new Conv2D(64, 3, "relu"), new MaxPooling2D(2),
                    new Flatten(), new Dropout(0.5), new Dense(10, "softmax"));
            // LeCun et al. 1998, with ReLU and "same" padding on the first layer for 28x28 inputs
            case "lenet5" -> new Sequential("lenet5", Input.shape(28, 28, 1),
                    new Conv2D(6, 5, "relu").padding("same"), new AveragePooling2D(2),
                    new Conv2D(16, 5, "relu"), new AveragePooling2D(2),
                    new Flatten(), new Dense(120, "relu"), new Dense(84, "relu"), new Dense(10, "softmax"));
            case "mlp" -> new Sequential("mlp", Input.shape(28, 28, 1), new Flatten(),
                    new Dense(512, "relu"), new Dropout(0.2), new Dense(512, "relu"), new Dropout(0.2),
                    new Dense(10, "softmax"));
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; expected one of "
                    + String.join(", ", NAMES));
        };
    }
}
