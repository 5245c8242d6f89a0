// Optimizer updates (Keras' formulas), one pass over each parameter, in place.
#include "ops_common.h"

// The loops vectorize because the shim is built with -fno-math-errno (CMakeLists.txt): a
// `#pragma GCC optimize` does not reach the target_clones copies of PMX_HOT functions.

PMX_HOT static void sgd_kernel(float *restrict param, float *restrict velocity, const float *restrict grad,
        size_t n, float lr, float momentum, int nesterov, float lr_wd) {
    if (velocity == NULL) {
        for (size_t i = 0; i < n; i++) {
            float p = param[i] - lr_wd * param[i];
            param[i] = p - lr * grad[i];
        }
    } else if (nesterov) {
        for (size_t i = 0; i < n; i++) {
            float p = param[i] - lr_wd * param[i];
            float g = lr * grad[i];
            float v = momentum * velocity[i] - g;
            velocity[i] = v;
            param[i] = p + (momentum * v - g);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            float p = param[i] - lr_wd * param[i];
            float v = momentum * velocity[i] - lr * grad[i];
            velocity[i] = v;
            param[i] = p + v;
        }
    }
}

static pmx_status check_state(const char *op, const char *name, const float *buf, const float *param,
        const float *grad) {
    if (buf == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s is NULL", op, name);
    if (buf == param || buf == grad)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s must not be param or grad", op, name);
    return PMX_STATUS_OK;
}

static pmx_status check_common(const char *op, float *param, const float *grad, float learning_rate,
        float weight_decay) {
    pmx_status st;
    if (param == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: param is NULL", op);
    if (grad == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: grad is NULL", op);
    if (grad == param) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: grad must not be param", op);
    if ((st = pmx_check_range(op, "learning_rate", learning_rate, 0.f, 3.4e38f, 0))
            || (st = pmx_check_range(op, "weight_decay", weight_decay, 0.f, 3.4e38f, 0)))
        return st;
    return PMX_STATUS_OK;
}

pmx_status pmx_sgd_update(float *param, float *velocity, const float *grad, size_t len, float learning_rate,
        float momentum, int32_t nesterov, float weight_decay) {
    static const char op[] = "pmx_sgd_update";
    pmx_status st;
    if ((st = check_common(op, param, grad, learning_rate, weight_decay))
            || (st = pmx_check_range(op, "momentum", momentum, 0.f, 1.f, 0))
            || (momentum != 0.f && (st = check_state(op, "velocity", velocity, param, grad))))
        return st;
    float *vel = momentum != 0.f ? velocity : NULL;
    float lr_wd = learning_rate * weight_decay;
    PMX_FOR_CHUNKS(len, lo, n, sgd_kernel(param + lo, vel ? vel + lo : NULL, grad + lo, n, learning_rate,
            momentum, nesterov != 0, lr_wd));
    return PMX_STATUS_OK;
}

PMX_HOT static void adam_kernel(float *restrict param, float *restrict m, float *restrict v,
        const float *restrict grad, size_t n, float alpha, float beta1, float beta2, float epsilon, float lr_wd) {
    float c1 = 1.f - beta1, c2 = 1.f - beta2;
    for (size_t i = 0; i < n; i++) {
        float g = grad[i];
        float p = param[i] - lr_wd * param[i];
        float mi = beta1 * m[i] + c1 * g;
        float vi = beta2 * v[i] + c2 * (g * g);
        m[i] = mi;
        v[i] = vi;
        param[i] = p - alpha * mi / (sqrtf(vi) + epsilon);
    }
}

pmx_status pmx_adam_update(float *param, float *m, float *v, const float *grad, size_t len, float learning_rate,
        float beta1, float beta2, float epsilon, int64_t step, float weight_decay) {
    static const char op[] = "pmx_adam_update";
    pmx_status st;
    if ((st = check_common(op, param, grad, learning_rate, weight_decay))
            || (st = check_state(op, "m", m, param, grad))
            || (st = check_state(op, "v", v, param, grad))
            || (st = pmx_check_range(op, "beta1", beta1, 0.f, 1.f, 1))
            || (st = pmx_check_range(op, "beta2", beta2, 0.f, 1.f, 1))
            || (st = pmx_check_range(op, "epsilon", epsilon, 0.f, 3.4e38f, 0)))
        return st;
    if (m == v) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: m and v must be different buffers", op);
    if (epsilon == 0.f) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: epsilon must be > 0, got 0", op);
    if (step < 1)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: step must be at least 1, got %lld", op, (long long)step);
    double t = (double)step;
    float alpha = (float)((double)learning_rate * sqrt(1.0 - pow((double)beta2, t)) / (1.0 - pow((double)beta1, t)));
    float lr_wd = learning_rate * weight_decay;
    PMX_FOR_CHUNKS(len, lo, n, adam_kernel(param + lo, m + lo, v + lo, grad + lo, n, alpha, beta1, beta2,
            epsilon, lr_wd));
    return PMX_STATUS_OK;
}

PMX_HOT static void rmsprop_kernel(float *restrict param, float *restrict ms, float *restrict mom,
        const float *restrict grad, size_t n, float lr, float rho, float momentum, float epsilon, float lr_wd) {
    float c = 1.f - rho;
    if (mom == NULL) {
        for (size_t i = 0; i < n; i++) {
            float g = grad[i];
            float p = param[i] - lr_wd * param[i];
            float s = rho * ms[i] + c * (g * g);
            ms[i] = s;
            param[i] = p - lr * g / sqrtf(s + epsilon);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            float g = grad[i];
            float p = param[i] - lr_wd * param[i];
            float s = rho * ms[i] + c * (g * g);
            ms[i] = s;
            float b = momentum * mom[i] + lr * g / sqrtf(s + epsilon);
            mom[i] = b;
            param[i] = p - b;
        }
    }
}

pmx_status pmx_rmsprop_update(float *param, float *mean_square, float *momentum_buffer, const float *grad,
        size_t len, float learning_rate, float rho, float momentum, float epsilon, float weight_decay) {
    static const char op[] = "pmx_rmsprop_update";
    pmx_status st;
    if ((st = check_common(op, param, grad, learning_rate, weight_decay))
            || (st = check_state(op, "mean_square", mean_square, param, grad))
            || (st = pmx_check_range(op, "rho", rho, 0.f, 1.f, 1))
            || (st = pmx_check_range(op, "momentum", momentum, 0.f, 1.f, 0))
            || (st = pmx_check_range(op, "epsilon", epsilon, 0.f, 3.4e38f, 0))
            || (momentum != 0.f && (st = check_state(op, "momentum_buffer", momentum_buffer, param, grad))))
        return st;
    if (epsilon == 0.f) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: epsilon must be > 0, got 0", op);
    if (momentum != 0.f && momentum_buffer == mean_square)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: momentum_buffer must not be mean_square", op);
    float *mom = momentum != 0.f ? momentum_buffer : NULL;
    float lr_wd = learning_rate * weight_decay;
    PMX_FOR_CHUNKS(len, lo, n, rmsprop_kernel(param + lo, mean_square + lo, mom ? mom + lo : NULL, grad + lo, n,
            learning_rate, rho, momentum, epsilon, lr_wd));
    return PMX_STATUS_OK;
}
