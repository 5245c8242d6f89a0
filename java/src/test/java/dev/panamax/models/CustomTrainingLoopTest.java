package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Input;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import dev.panamax.training.Adam;
import dev.panamax.training.FitOptions;
import dev.panamax.training.Losses;
import dev.panamax.training.Optimizer;
import dev.panamax.training.SGD;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** GradientTape-style loops: what GANs and custom losses need. */
class CustomTrainingLoopTest {

    @Test
    void aHandWrittenLoopMatchesFit() {
        float[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        float[] y = {1, 3, 5, 7, 9, 11, 13, 15};
        FloatArray xa = FloatArray.of(x, 8, 1);
        FloatArray ya = FloatArray.of(y, 8, 1);
        float[] fitted;
        try (Sequential m = new Sequential(Input.shape(1), new Dense(1))) {
            m.setBackend("java").setSeed(5);
            m.compile(new SGD(0.01), Losses.meanSquaredError());
            m.fit(xa, ya, FitOptions.defaults().batchSize(8).epochs(20).shuffle(false).verbose(0));
            fitted = m.weights().get(0).value().toFloatArray();
        }
        try (Sequential m = new Sequential(Input.shape(1), new Dense(1))) {
            m.setBackend("java").setSeed(5);
            Optimizer sgd = new SGD(0.01);
            for (int step = 0; step < 20; step++) {
                try (MemoryScope s = MemoryScope.open("step")) {
                    GradientTape tape = new GradientTape();
                    Ops ops = new Ops(m.backend(), s, tape);
                    m.zeroGrad();
                    Var pred = m.call(ops.constant(Tensor.of(s, x, 8, 1)), true);
                    Var diff = ops.sub(pred, ops.constant(Tensor.of(s, y, 8, 1)));
                    tape.backward(ops.mean(ops.mul(diff, diff)));
                    sgd.apply(m.backend(), m.trainableWeights());
                }
            }
            assertArrayEquals(fitted, m.weights().get(0).value().toFloatArray());
        }
    }

    @Test
    void aGanStepTrainsEachNetworkOnItsOwnLoss() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 64;
        float[] real = new float[n];
        for (int i = 0; i < n; i++) real[i] = (float) (3 + 0.5 * r.nextGaussian()); // the data: N(3, 0.5)
        try (Sequential generator = new Sequential(Input.shape(2), new Dense(8, "relu"), new Dense(1));
             Sequential discriminator = new Sequential(Input.shape(1), new Dense(8, "relu"), new Dense(1))) {
            generator.setBackend("java").setSeed(1);
            discriminator.setBackend("java").setSeed(2);
            Optimizer gOpt = new Adam(0.01);
            Optimizer dOpt = new Adam(0.01);
            var bce = Losses.binaryCrossentropy(true);
            double firstMean = Double.NaN;
            double lastMean = Double.NaN;
            for (int step = 0; step < 300; step++) {
                float[] noise = new float[n * 2];
                for (int i = 0; i < noise.length; i++) noise[i] = (float) r.nextGaussian();
                try (MemoryScope s = MemoryScope.open("gan step")) {
                    Tensor ones = Tensor.zeros(s, n, 1);
                    ones.fill(1f);
                    Tensor zeros = Tensor.zeros(s, n, 1);
                    // discriminator: real -> 1, fake -> 0; the generator is not updated
                    GradientTape dTape = new GradientTape();
                    Ops d = new Ops(discriminator.backend(), s, dTape);
                    discriminator.zeroGrad();
                    Var fake = generator.call(d.constant(Tensor.of(s, noise, n, 2)), false);
                    Var dLoss = d.add(bce.compute(discriminator.call(d.constant(Tensor.of(s, real, n, 1)), true), ones),
                            bce.compute(discriminator.call(d.constant(fake.value()), true), zeros));
                    dTape.backward(dLoss);
                    dOpt.apply(discriminator.backend(), discriminator.trainableWeights());
                    // generator: make the discriminator say 1 on fakes; only the generator's weights move
                    float[] dBefore = discriminator.weights().get(0).value().toFloatArray();
                    GradientTape gTape = new GradientTape();
                    Ops g = new Ops(generator.backend(), s, gTape);
                    generator.zeroGrad();
                    discriminator.zeroGrad();
                    Var generated = generator.call(g.constant(Tensor.of(s, noise, n, 2)), true);
                    gTape.backward(bce.compute(discriminator.call(generated, true), ones));
                    gOpt.apply(generator.backend(), generator.trainableWeights());
                    assertArrayEquals(dBefore, discriminator.weights().get(0).value().toFloatArray());
                    double mean = 0;
                    for (float v : generated.value().toFloatArray()) mean += v / n;
                    if (step == 0) firstMean = mean;
                    lastMean = mean;
                }
            }
            assertTrue(Math.abs(lastMean - 3) < 0.6 && Math.abs(lastMean - 3) < Math.abs(firstMean - 3),
                    "generated mean moved from " + firstMean + " towards 3: " + lastMean);
            for (Parameter p : discriminator.weights()) assertTrue(p.hasGrad());
            assertEquals(4, generator.weights().size());
        }
    }
}
