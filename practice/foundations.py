"""Same question, new numbers: the foundations chapter's variants (sitecontract/practice.py explains the format).

Each variant's answer is computed here by the dlref function the worked solution uses; its ``check``
recomputes it independently: with PyTorch where it has the thing (autograd for a gradient or a MAP
estimate, ``nn.LayerNorm``/``nn.BatchNorm1d``, ``clip_grad_norm_``, ``torch.bmm``, ``torch.autocast``,
``nn.Linear`` parameter counts), otherwise with the plain formula written another way in NumPy.
Questions about measured behaviour (approximation error of fitted networks) have no variant.
"""


import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlref.cnn import dense_parameter_count
from dlref.foundations import (batch_norm_eval, batch_norm_train, batched_matmul_flops, clip_grad_by_norm,
                               global_grad_norm, l2_strength_from_prior, layer_norm,
                               margin_perceptron_update_bound, matrix_products_recorded,
                               perceptron_mistake_bound, perceptron_update,
                               ridge_map_estimate, running_stats_update, sigmoid,
                               sigmoid_squared_loss_gradient, tensor_bytes, vc_generalization_gap,
                               vc_sample_size)
from sitecontract.practice import Variant, bmatrix, number, vector

DTYPE = torch.float64   # the checks compare with tight tolerances





def _short(value, digits=3) -> str:
    """Rounded to ``digits`` decimals, without trailing zeros: ``5``, ``0.025``, ``3.162``."""
    return number(round(float(value), digits) + 0.0)


def _factor(text) -> str:
    """A number as a factor of a product: a negative one in parentheses."""
    return f"({text})" if text.startswith("-") else text



def _shortvector(values) -> str:
    return "(" + ", ".join(_short(value) for value in values) + ")"



# ---------------------------------------------------------------------------------------------
# Regularisation and learning theory
# ---------------------------------------------------------------------------------------------

def _map_estimate_check(X, y, noise_std, prior_std, lam, theta):
    def check():
        Xt, yt = torch.tensor(X, dtype=DTYPE), torch.tensor(y, dtype=DTYPE)
        likelihood_noise = torch.distributions.Normal(0.0, noise_std)
        prior = torch.distributions.Normal(0.0, prior_std)

        def negative_log_posterior(th):
            return -(likelihood_noise.log_prob(yt - Xt @ th).sum() + prior.log_prob(th).sum())

        # The objective is quadratic: one Newton step from zero lands on its minimum (autograd
        # gradient and Hessian; scalar outputs only, so no grad_outputs are passed).
        start = torch.zeros(X.shape[1], dtype=DTYPE, requires_grad=True)
        (gradient,) = torch.autograd.grad(negative_log_posterior(start), start, create_graph=True)
        hessian = torch.stack([torch.autograd.grad(gradient[i], start, retain_graph=True)[0]
                               for i in range(X.shape[1])])
        found = (start - torch.linalg.solve(hessian, gradient)).detach().numpy()
        assert np.allclose(found, theta), (found, theta)
        # lambda: the prior's curvature in units of the likelihood's (1/tau^2 against 1/sigma^2)
        point = torch.tensor(0.7, dtype=DTYPE, requires_grad=True)
        (slope,) = torch.autograd.grad(-prior.log_prob(point), point, create_graph=True)
        (curvature,) = torch.autograd.grad(slope, point)
        assert np.isclose(noise_std ** 2 * curvature.item(), lam), (curvature, lam)
    return check


def l2_prior_map():
    found = []
    for x, y, noise_std, prior_std in [([1.0, 2.0, 2.0], [1.0, 3.0, 2.0], 1.0, 1.0),
                                       ([1.0, 3.0], [2.0, 5.0], 0.5, 0.25),
                                       ([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], [1.0, 4.0, 2.0], 1.0, 2.0)]:
        X = np.array(x).reshape(len(y), -1)
        y = np.array(y)
        lam = l2_strength_from_prior(noise_std, prior_std)
        theta = ridge_map_estimate(X, y, noise_std, prior_std)
        prior = (f"noise of standard deviation $\\sigma = {number(noise_std)}$ and a prior "
                 f"$\\mathcal{{N}}(0, \\tau^2)$ on each weight with $\\tau = {number(prior_std)}$")
        if X.shape[1] == 1:
            sxx, sxy = float(X[:, 0] @ X[:, 0]), float(X[:, 0] @ y)
            givens = (f"Linear regression without intercept, $y_i = \\theta x_i + \\varepsilon_i$, with Gaussian "
                      f"{prior}. Data $x = {vector(X[:, 0])}$, $y = {vector(y)}$. Which $\\lambda$ makes "
                      f"$\\sum_i (y_i - \\theta x_i)^2 + \\lambda \\theta^2$ the negative log-posterior (up to a "
                      f"factor and a constant), and what is the MAP estimate of $\\theta$?")
            answer = f"$\\lambda = {number(lam)}$, $\\hat\\theta_\\text{{MAP}} = {_short(theta[0])}$"
            working = (f"$\\lambda = \\sigma^2/\\tau^2 = {number(noise_std ** 2)}/{number(prior_std ** 2)} = "
                       f"{number(lam)}$; "
                       f"$\\hat\\theta = \\sum_i x_i y_i / (\\sum_i x_i^2 + \\lambda) = {number(sxy)}/({number(sxx)} + "
                       f"{number(lam)})$.")
        else:
            givens = (f"Linear regression without intercept, $y = X\\theta + \\varepsilon$, with Gaussian {prior}. "
                      f"Data $X = {bmatrix(X)}$, $y = {vector(y)}$. Which $\\lambda$ makes "
                      f"$\\lVert y - X\\theta \\rVert^2 + \\lambda \\lVert\\theta\\rVert^2$ the negative "
                      f"log-posterior (up to a factor and a constant), and what is the MAP estimate of $\\theta$?")
            answer = f"$\\lambda = {number(lam)}$, $\\hat\\theta_\\text{{MAP}} = {_shortvector(theta)}$"
            working = (f"$\\lambda = \\sigma^2/\\tau^2 = {number(noise_std ** 2)}/{number(prior_std ** 2)} = "
                       f"{number(lam)}$; $\\hat\\theta = (X^\\top X + \\lambda I)^{{-1}} "
                       f"X^\\top y$ with $X^\\top X = {bmatrix(X.T @ X)}$, $X^\\top y = {vector(X.T @ y)}$.")
        found.append(Variant(givens=givens, answer=answer, working=working,
                             check=_map_estimate_check(X, y, noise_std, prior_std, lam, theta)))
    return found


def _vc_check(vc, n, target, gaps, needed):
    def check():
        # the same three numbers, written as powers in NumPy
        expected = [np.power(vc / n, 0.5), np.power(vc / (4 * n), 0.5)]
        assert np.allclose(gaps, expected), (gaps, expected)
        assert np.isclose(needed, vc * np.power(target, -2.0)), needed
        assert np.isclose(np.power(vc / needed, 0.5), target)
    return check


def vc_bound_terms():
    found = []
    for vc, n, target in [(50, 20_000, 0.01), (8, 200, 0.1), (30, 1_200, 0.05)]:
        gap = vc_generalization_gap(vc, n)
        gap_more_data = vc_generalization_gap(vc, 4 * n)
        needed = vc_sample_size(vc, target)
        found.append(Variant(
            givens=f"In the bound $R_\\text{{true}}(h) \\le R_\\text{{emp}}(h) + "
                   f"O\\big(\\sqrt{{\\mathrm{{VC}}(H)/n}}\\big)$, "
                   f"take the complexity term as $\\sqrt{{\\mathrm{{VC}}(H)/n}}$ (constant and log factor dropped), "
                   f"with $\\mathrm{{VC}}(H) = {number(vc)}$ and $n = {number(n)}$. What is the term, what is it "
                   f"with four times the data, and how many examples make it ${number(target)}$?",
            answer=f"${_short(gap)}$; ${_short(gap_more_data)}$ with $4n$ (half: it falls like $n^{{-1/2}}$); "
                   f"$n = {number(round(needed))}$ for ${number(target)}$",
            working=f"$\\sqrt{{{number(vc)}/{number(n)}}} = {_short(gap)}$; "
                    f"$n = \\mathrm{{VC}}(H)/\\varepsilon^2 = {number(vc)}/{number(target)}^2 = "
                    f"{number(round(needed))}$.",
            check=_vc_check(vc, n, target, [gap, gap_more_data], needed)))
    return found


# ---------------------------------------------------------------------------------------------
# The perceptron and gradients
# ---------------------------------------------------------------------------------------------

def _perceptron_check(w, points, lr, updates):
    def check():
        # autograd: minus lr times the gradient of the hinge at margin zero, max(0, -t w.x), t = 2y - 1
        for (x, y), update in zip(points, updates):
            weights = torch.tensor(w, dtype=DTYPE, requires_grad=True)
            loss = torch.relu(-(2 * y - 1) * (weights @ torch.tensor(x, dtype=DTYPE)))
            (grad,) = torch.autograd.grad(loss, weights)
            assert np.allclose(-lr * grad.numpy(), update), (grad, update)
    return check


def perceptron_updates():
    found = []
    for w, lr, points in [([1.0, -1.0], 0.5, [([2.0, 3.0], 1), ([1.0, -2.0], 1)]),
                          ([0.5, 2.0], 1.0, [([-1.0, 1.0], 0), ([3.0, -1.0], 0)]),
                          ([-1.0, 1.0, 0.5], 0.1, [([1.0, 0.0, 1.0], 1), ([2.0, 1.0, -2.0], 0)])]:
        updates = [perceptron_update(np.array(w), np.array(x), y, lr=lr) for x, y in points]
        scores = [float(np.dot(w, x)) for x, _ in points]
        assert all(score != 0 for score in scores)    # off the boundary, where the hinge has one slope
        listed = "; ".join(f"$x_{i} = {vector(x)}$, $y_{i} = {y}$" for i, (x, y) in enumerate(points, start=1))
        described = "; ".join(
            f"$\\Delta w_{i} = {vector(u)}$ ({'a mistake' if np.any(u) else 'correct: no update'})"
            for i, u in enumerate(updates, start=1))
        steps = "; ".join(f"$w \\cdot x_{i} = {number(s)}$, $\\hat y_{i} = {int(s > 0)}$"
                          for i, s in enumerate(scores, start=1))
        found.append(Variant(
            givens=f"Rosenblatt's rule $\\Delta w = \\eta\\,(y - \\hat y)\\,x$ with $\\hat y = 1[w \\cdot x > 0]$ and "
                   f"labels in $\\{{0, 1\\}}$; $w = {vector(w)}$, $\\eta = {number(lr)}$. What update does each "
                   f"point give (each on its own, from this $w$): {listed}? Check that each is $-\\eta$ times a "
                   f"subgradient of the hinge at margin zero, $[-t\\, w \\cdot x]_+$ with $t = 2y - 1$.",
            answer=described + "; each equals $-\\eta\\,\\partial [-t\\,w\\cdot x]_+ / \\partial w$ "
                               "(that is $\\eta t x$ on a mistake, 0 otherwise).",
            working=steps + ".",
            check=_perceptron_check(w, points, lr, updates)))
    return found


def _sigmoid_gradient_check(w, b, x, y, expected):
    def check():
        weight = torch.tensor(w, dtype=DTYPE, requires_grad=True)
        loss = (torch.sigmoid(weight * x + b) - y) ** 2
        (grad,) = torch.autograd.grad(loss, weight)
        assert np.isclose(grad.item(), expected), (grad, expected)
    return check


def sigmoid_squared_loss():
    found = []
    for w, b, x, y in [(1.0, -2.0, 2.0, 0.0), (-0.5, 1.0, 4.0, 1.0), (2.0, 0.5, -1.0, 0.0)]:
        z = w * x + b
        s = float(sigmoid(z))
        grad = sigmoid_squared_loss_gradient(w, b, x, y)
        found.append(Variant(
            givens=f"For $\\mathcal{{L}} = \\big(\\sigma(wx + b) - y\\big)^2$ with $w = {number(w)}$, "
                   f"$b = {number(b)}$, $x = {number(x)}$ and $y = {number(y)}$, compute "
                   f"$\\partial \\mathcal{{L}} / \\partial w$.",
            answer=f"${number(grad, 4)}$",
            working=f"$z = {number(z)}$, $s = \\sigma(z) = {number(s, 4)}$, "
                    f"$\\sigma' = s(1 - s) = {number(s * (1 - s), 4)}$; "
                    f"$2(s - y)\\,s(1 - s)\\,x = 2 \\cdot {_factor(number(s - y, 4))} \\cdot "
                    f"{number(s * (1 - s), 4)} \\cdot {_factor(number(x))} = {number(grad, 4)}$.",
            check=_sigmoid_gradient_check(w, b, x, y, grad)))
    return found


def _bound_check(radius, gamma, bound, plain, points=None, labels=None, w_star=None):
    def check():
        r, g = radius, gamma
        if points is not None:   # recompute R and gamma from the data, with torch
            X, t = torch.tensor(points, dtype=DTYPE), torch.tensor(labels, dtype=DTYPE)
            g = (t * (X @ torch.tensor(w_star, dtype=DTYPE))).min().item()
            r = X.norm(dim=1).max().item()
            assert np.isclose(r, radius) and np.isclose(g, gamma)
        ratio = r / g
        assert np.isclose(4 * ratio * (2 * ratio + 1), bound), bound   # 8 ratio^2 + 4 ratio, factored
        assert np.isclose(ratio * ratio, plain)
    return check


def margin_perceptron_bound():
    found = []
    for radius, gamma in [(2.0, 0.5), (3.0, 0.2)]:
        bound = margin_perceptron_update_bound(radius, gamma)
        plain = perceptron_mistake_bound(radius, gamma)
        found.append(Variant(
            givens=f"Examples in $\\mathbb{{R}}^d$ are separated by a unit vector $w^*$ with margin "
                   f"$\\gamma = \\min_i y_i (w^* \\cdot x_i) = {number(gamma)}$, and "
                   f"$R = \\max_i \\lVert x_i \\rVert = {number(radius)}$. At most how many updates does the margin "
                   f"perceptron (update when $y\\, w \\cdot x \\le \\tfrac{{\\gamma}}{{2}} \\lVert w \\rVert$) "
                   f"make, and at "
                   f"most how many mistakes the plain perceptron?",
            answer=f"Margin perceptron at most ${_short(bound, 1)}$ updates; plain perceptron at most "
                   f"${_short(plain, 1)}$ mistakes.",
            working=f"$R/\\gamma = {_short(radius / gamma)}$: $8 \\cdot {_short((radius / gamma) ** 2)} + 4 \\cdot "
                    f"{_short(radius / gamma)} = {_short(bound, 1)}$; Novikoff $(R/\\gamma)^2 = {_short(plain, 1)}$.",
            check=_bound_check(radius, gamma, bound, plain)))
    # the givens as data: compute gamma and R first, as the question defines them
    w_star = np.array([0.6, 0.8])
    points = np.array([[3.0, 1.0], [0.0, 2.0], [-1.0, -1.0], [1.0, -2.0]])
    labels = np.array([1.0, 1.0, -1.0, -1.0])
    margins = labels * (points @ w_star)
    gamma, radius = float(margins.min()), float(np.linalg.norm(points, axis=1).max())
    bound = margin_perceptron_update_bound(radius, gamma)
    plain = perceptron_mistake_bound(radius, gamma)
    listed = ", ".join(f"${vector(x)}$ ($y = {int(t):+d}$)" for x, t in zip(points, labels))
    found.append(Variant(
        givens=f"The points {listed} are separated by the unit vector $w^* = {vector(w_star)}$. With "
               f"$\\gamma = \\min_i y_i (w^* \\cdot x_i)$ and $R = \\max_i \\lVert x_i \\rVert$, at most how many "
               f"updates does the margin perceptron (update when "
               f"$y\\, w \\cdot x \\le \\tfrac{{\\gamma}}{{2}} "
               f"\\lVert w \\rVert$) make, and at most how many mistakes the plain perceptron?",
        answer=f"$\\gamma = {_short(gamma)}$, $R = \\sqrt{{{_short(radius ** 2)}}} \\approx {_short(radius)}$; "
               f"margin perceptron at most ${_short(bound, 1)}$ updates, plain perceptron at most "
               f"${_short(plain, 1)}$ mistakes.",
        working=f"Margins $y_i\\, w^* \\cdot x_i$: ${', '.join(_short(m) for m in margins)}$; "
                f"$8(R/\\gamma)^2 + 4R/\\gamma = 8 \\cdot {_short((radius / gamma) ** 2)} + 4 \\cdot "
                f"{_short(radius / gamma)} = {_short(bound, 1)}$.",
        check=_bound_check(radius, gamma, bound, plain, points, labels, w_star)))
    return found


# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

def _padded_batch(short, mate):
    batch = np.zeros((2, len(mate), short.shape[1]))
    batch[0, :len(short)], batch[1] = short, mate
    return batch


def _layer_versus_batch_norm_check(short, mate, layer_first, batch_alone, batch_padded):
    def check():
        d = short.shape[1]
        S = torch.tensor(short, dtype=DTYPE)
        batch = torch.tensor(_padded_batch(short, mate), dtype=DTYPE)
        ln = nn.LayerNorm(d, dtype=DTYPE)
        assert np.allclose(ln(S)[0].detach().numpy(), layer_first)
        assert np.allclose(ln(batch)[0, 0].detach().numpy(), layer_first)       # padding changes nothing
        bn = nn.BatchNorm1d(d, dtype=DTYPE).train()                                # features on axis 1
        alone = bn(S.T[None])[0, 0].detach().numpy()
        padded = bn(batch.transpose(1, 2))[0, 0, :len(short)].detach().numpy()
        assert np.allclose(alone, batch_alone) and np.allclose(padded, batch_padded), (alone, padded)
    return check


def layer_versus_batch_norm():
    found = []
    for short, mate in [([[2, 4, 6], [1, 1, 4]], [[0, 2, 1], [3, 1, 2], [1, 0, 0]]),
                        ([[1, 2, 3, 6], [0, 4, 4, 0]], [[2, 0, 1, 1], [1, 1, 1, 1], [0, 2, 0, 2], [3, 1, 0, 0]]),
                        ([[3, 0, 3], [5, 2, -1], [1, 1, 1]], [[1, 0, 0], [0, 1, 0], [0, 0, 1], [2, 2, 2]])]:
        short, mate = np.array(short, dtype=float), np.array(mate, dtype=float)
        batch = _padded_batch(short, mate)
        layer_first = layer_norm(short)[0]
        assert np.allclose(layer_norm(batch)[0, 0], layer_first)
        batch_alone = batch_norm_train(short[None])[0, :, 0]
        batch_padded = batch_norm_train(batch)[0, :len(short), 0]
        values = batch[:, :, 0].ravel()
        tokens = ", ".join(f"${vector(token)}$" for token in short)
        mates = ", ".join(f"${vector(token)}$" for token in mate)
        found.append(Variant(
            givens=f"A sequence $S$ of {len(short)} tokens with $d = {short.shape[1]}$ features, {tokens}, "
                   f"shares a batch "
                   f"with a sequence of {len(mate)} tokens, {mates}; $S$ is padded with zero tokens to length "
                   f"{len(mate)}. Normalise without scale and shift ($\\epsilon = 10^{{-5}}$). What does LayerNorm "
                   f"give "
                   f"for $S$'s first token, alone and in the batch? What does BatchNorm (training mode) give for the "
                   f"first feature of $S$'s tokens, with $S$ alone and in the padded batch?",
            answer=f"LayerNorm ${_shortvector(layer_first)}$ both times; BatchNorm ${_shortvector(batch_alone)}$ "
                   f"alone, ${_shortvector(batch_padded)}$ in the padded batch.",
            working=f"LayerNorm uses the token's own mean ${_short(short[0].mean())}$ and variance "
                    f"${_short(short[0].var())}$; BatchNorm's first feature in the batch takes the mean "
                    f"${_short(values.mean())}$ and variance ${_short(values.var())}$ of all "
                    f"{values.size} positions, padding zeros included.",
            check=_layer_versus_batch_norm_check(short, mate, layer_first, batch_alone, batch_padded)))
    return found


def _batch_norm_modes_check(test, gamma, beta, running, training_batch, momentum, eval_out, train_out):
    def check():
        bn = nn.BatchNorm1d(1, momentum=momentum, dtype=DTYPE)
        with torch.no_grad():
            bn.weight.fill_(gamma)
            bn.bias.fill_(beta)
            if training_batch is None:
                bn.running_mean.fill_(running[0])
                bn.running_var.fill_(running[1])
        if training_batch is not None:     # one training step updates the buffers
            bn.train()(torch.tensor(training_batch, dtype=DTYPE)[:, None])
        x = torch.tensor(test, dtype=DTYPE)[:, None]
        assert np.allclose(bn.eval()(x).detach().numpy()[:, 0], eval_out)
        batch_stats = F.batch_norm(x, None, None, bn.weight, bn.bias, training=True)
        assert np.allclose(batch_stats.detach().numpy()[:, 0], train_out)
    return check


def batch_norm_train_versus_eval():
    found = []
    for test, gamma, beta, running, training_batch, momentum in [
            ([2.0, 4.0, 6.0], 2.0, 1.0, (0.0, 1.0), None, 0.1),
            ([5.0, 7.0, 9.0, 11.0], 1.0, 0.0, (1.0, 4.0), None, 0.1),
            ([3.0, 5.0], 1.0, 0.0, (0.0, 1.0), [2.0, 4.0], 0.1)]:
        mean, var = np.array([running[0]]), np.array([running[1]])
        x = np.array(test)[:, None]
        if training_batch is not None:
            mean, var = running_stats_update(mean, var, np.array(training_batch)[:, None], momentum=momentum)
        eval_out = batch_norm_eval(x, mean, var, np.array([gamma]), np.array([beta]))[:, 0]
        train_out = batch_norm_train(x, np.array([gamma]), np.array([beta]))[:, 0]
        if training_batch is None:
            start = (f"Its running mean is ${number(running[0])}$ and running variance ${number(running[1])}$")
            step = ""
        else:
            start = (f"Its running mean and variance start at ${number(running[0])}$ and ${number(running[1])}$, and "
                     f"one training step (momentum ${number(momentum)}$, unbiased batch variance, as PyTorch) on the "
                     f"batch ${vector(training_batch)}$ updates them")
            keep, take = number(1 - momentum), number(momentum)
            step = (f"Running mean ${keep} \\cdot {number(running[0])} + {take} \\cdot "
                    f"{number(np.mean(training_batch))} = {number(mean[0])}$, variance ${keep} \\cdot "
                    f"{number(running[1])} + {take} \\cdot {number(np.var(training_batch, ddof=1))} = "
                    f"{number(var[0])}$. ")
        found.append(Variant(
            givens=f"A BatchNorm layer on one feature has $\\gamma = {number(gamma)}$, $\\beta = {number(beta)}$ "
                   f"($\\epsilon = 10^{{-5}}$). {start}. A test batch ${vector(test)}$ arrives. What does the layer "
                   f"output in eval mode, and what would it output in training mode?",
            answer=f"Eval mode ${_shortvector(eval_out)}$; training mode (the batch's own statistics) "
                   f"${_shortvector(train_out)}$.",
            working=step + f"Eval: $\\gamma (x - {number(mean[0])})/\\sqrt{{{number(var[0])} + \\epsilon}} + \\beta$; "
                           f"training: batch mean ${_short(x.mean())}$, biased variance ${_short(x.var())}$.",
            check=_batch_norm_modes_check(test, gamma, beta, running, training_batch, momentum, eval_out,
                                          train_out)))
    return found


# ---------------------------------------------------------------------------------------------
# Training tricks
# ---------------------------------------------------------------------------------------------

def _clip_check(grads, threshold, norm, clipped):
    def check():
        params = []
        for g in grads:
            p = nn.Parameter(torch.zeros(len(g), dtype=DTYPE))
            p.grad = torch.tensor(g, dtype=DTYPE)
            params.append(p)
        before = nn.utils.clip_grad_norm_(params, max_norm=threshold)
        assert np.isclose(before.item(), norm)
        for p, expected in zip(params, clipped):   # PyTorch divides by the norm plus 1e-6
            assert np.allclose(p.grad.numpy(), expected, atol=1e-5), (p.grad, expected)
    return check


def clipping_by_norm():
    found = []
    for grads, threshold in [([[6.0, 8.0]], 5.0), ([[1.0, 2.0, 2.0]], 1.5),
                             ([[2.0, -1.0], [4.0, 2.0]], 2.0), ([[0.3, -0.4]], 1.0)]:
        norm = global_grad_norm(grads)
        clipped = clip_grad_by_norm(grads, max_norm=threshold)
        several = len(grads) > 1
        shown = ", ".join(f"${vector(g)}$" for g in grads)
        result = ", ".join(f"${_shortvector(c)}$" for c in clipped)
        scale = threshold / norm if norm >= threshold else 1.0
        found.append(Variant(
            givens=("Two parameter tensors have the gradients " if several else "A gradient is ")
                   + f"{shown}; clip by norm with threshold ${number(threshold)}$"
                   + (" (one norm over all parameters together)" if several else "")
                   + ". What is the norm before clipping, and the clipped gradient?",
            answer=f"$\\lVert g \\rVert = {_short(norm)}$; clipped {result}"
                   + (" (unchanged: the norm is below the threshold)" if norm < threshold else ""),
            working=f"$\\lVert g \\rVert = {_short(norm)} "
                    + (f"\\ge {number(threshold)}$: multiply by "
                       f"${number(threshold)}/{_short(norm)} = {_short(scale)}$; "
                       f"the direction is kept." if norm >= threshold
                       else f"< {number(threshold)}$: nothing to clip."),
            check=_clip_check(grads, threshold, norm, clipped)))
    return found


def _batched_product_check(b, n, m, p, flops, calls):
    def check():
        A = torch.ones(b, n, m, dtype=DTYPE, requires_grad=True)
        B = torch.ones(b, m, p, dtype=DTYPE)
        product = torch.bmm(A, B)
        assert tuple(product.shape) == (b, n, p)
        # with all-ones operands each entry is its own number of multiply-adds
        assert 2 * int(product.sum().item()) == flops
        counted = {"matmul": torch.matmul(A, B), "bmm": product, "einsum": torch.einsum("bnm,bmp->bnp", A, B),
                   "loop": torch.stack([A[i] @ B[i] for i in range(b)])}
        assert {name: matrix_products_recorded(r) for name, r in counted.items()} == calls
    return check


def batched_products():
    found = []
    for b, n, m, p in [(32, 4, 8, 2), (10, 3, 5, 6), (128, 16, 16, 16)]:
        flops = batched_matmul_flops(b, n, m, p)
        calls = {"matmul": 1, "bmm": 1, "einsum": 1, "loop": b}   # checked against autograd's graph
        found.append(Variant(
            givens=f"$A$ has shape $({b}, {n}, {m})$ and $B$ shape $({b}, {m}, {p})$. What is the shape of the batch "
                   f"of products $A_i B_i$, how many floating-point operations does it take (a multiply and an add "
                   f"per term), and how many matrix-product kernel calls do `torch.matmul(A, B)`, "
                   f"`torch.bmm(A, B)`, `torch.einsum('bnm,bmp->bnp', A, B)` and a Python loop of `A[i] @ B[i]` make?",
            answer=f"$({b}, {n}, {p})$; ${number(flops)}$ FLOPs whichever call; one `bmm` call each for "
                   f"`matmul`, `bmm` and `einsum`, {b} `mm` calls for the loop.",
            working=f"$2bnmp = 2 \\cdot {b} \\cdot {n} \\cdot {m} \\cdot {p} = {number(flops)}$.",
            check=_batched_product_check(b, n, m, p, flops, calls)))
    return found


def _activation_bytes_check(batch, features, hidden, fp32, bf16):
    def check():
        layer = nn.Linear(features, hidden)
        x = torch.zeros(batch, features)
        with torch.no_grad():
            full = torch.relu(layer(x))
            with torch.autocast("cpu", dtype=torch.bfloat16):
                half = torch.relu(layer(x))
        assert half.dtype == torch.bfloat16
        assert (full.numel() * full.element_size(), half.numel() * half.element_size()) == (fp32, bf16)
    return check


def activation_memory():
    found = []
    for batch, features, hidden in [(64, 128, 512), (16, 32, 1024), (256, 784, 100)]:
        fp32 = tensor_bytes((batch, hidden), "float32")
        bf16 = tensor_bytes((batch, hidden), "bfloat16")
        found.append(Variant(
            givens=f"A batch of {batch} inputs of {features} features goes through `nn.Linear({features}, {hidden})` "
                   f"and a ReLU. How many bytes does the hidden activation (kept for the backward pass) take in FP32, "
                   f"and under mixed precision (autocast to BF16)?",
            answer=f"${number(fp32)}$ bytes in FP32, ${number(bf16)}$ in BF16: half.",
            working=f"${batch} \\cdot {hidden} = {number(batch * hidden)}$ elements, times 4 or 2 bytes.",
            check=_activation_bytes_check(batch, features, hidden, fp32, bf16)))
    return found


def _master_weights_check(widths, n_params, fp32, bf16):
    def check():
        layers = [nn.Linear(a, b) for a, b in zip(widths, widths[1:])]
        model = nn.Sequential(*[module for layer in layers for module in (layer, nn.ReLU())][:-1])
        params = list(model.parameters())
        assert sum(p.numel() for p in params) == n_params
        assert sum(p.numel() * p.element_size() for p in params) == fp32
        assert sum(p.numel() * p.to(torch.bfloat16).element_size() for p in params) == bf16
        # one mixed-precision step: what stays in float32
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(torch.zeros(4, widths[0]))
            loss = F.cross_entropy(logits, torch.zeros(4, dtype=torch.long))
        loss.backward()
        assert logits.dtype == torch.bfloat16 and loss.dtype == torch.float32
        assert {p.dtype for p in params} == {p.grad.dtype for p in params} == {torch.float32}
    return check


def master_weights_memory():
    found = []
    for widths in [(32, 128, 10), (784, 256, 10), (100, 50, 50, 5)]:
        n_params = sum(dense_parameter_count(a, b).total for a, b in zip(widths, widths[1:]))
        fp32 = tensor_bytes((n_params,), "float32")
        bf16 = tensor_bytes((n_params,), "bfloat16")
        layers = " → ".join(str(w) for w in widths)
        counts = " + ".join(f"({a} \\cdot {b} + {b})" for a, b in zip(widths, widths[1:]))
        found.append(Variant(
            givens=f"An MLP {layers} (dense layers with biases) is trained with mixed precision. How many "
                   f"parameters has it, how many bytes do its FP32 master weights take, and how many would a BF16 "
                   f"copy take? In which precision do the weights, their gradients and the loss stay?",
            answer=f"${number(n_params)}$ parameters; ${number(fp32)}$ bytes in FP32 (a BF16 copy: ${number(bf16)}$). "
                   f"The weights, their gradients and the loss stay in FP32; only the layer outputs are lowered.",
            working=f"${counts} = {number(n_params)}$; times 4 bytes, or 2.",
            check=_master_weights_check(widths, n_params, fp32, bf16)))
    return found


PRACTICE = {
    "endsem-winter-2025-q1": l2_prior_map,
    "endsem-winter-2025-q3": vc_bound_terms,
    "endsem-winter-2025-q5": perceptron_updates,
    "endsem-winter-2025-q6": sigmoid_squared_loss,
    "endsem-winter-2025-q11": margin_perceptron_bound,
    "cse641-quiz2-q7": layer_versus_batch_norm,
    "endsem-winter-2025-q14": batch_norm_train_versus_eval,
    "endsem-winter-2025-q15": clipping_by_norm,
    "endsem-winter-2025-q24": batched_products,
    "cse641-quiz2-q9": activation_memory,
    "endsem-winter-2025-q26": master_weights_memory,
}

NO_PRACTICE = {
    "endsem-winter-2025-q4": "conceptual: which condition breaks universal approximation; the fitted networks in "
                             "the solution are a least-squares demonstration, not a computation to redo by hand",
}
