r"""
The bridge to PyTorch (issue "The laws of your PyTorch model"): real torch, on the CPU.

Oracles, never from the code under test:

- counts from the papers: one law per hidden neuron of a ReLU network and per hidden
  channel of a two-layer convolutional ReLU network; `r(r+1)/2` for a two-layer linear
  network `n \to r \to m` with `r \le n + m` ([MGP2023]), so for LoRA and for each of
  the two factorizations `Q_h^T K_h`, `O_h V_h` of an attention head; `Bh` for `B`
  residual ReLU blocks of hidden width `h` (Marcotte et al. 2025);
- the map from the model's parameters to the module's tensors is checked against torch's
  own autograd: a law `h` of gradient flow satisfies `<grad h(theta), grad L(theta)> = 0`
  for every loss of the network's output, so with the module's gradients gathered by
  the map, every pairing vanishes; a wrong map (two positions swapped) breaks it;
- the monitored values are compared with the engine's polynomials evaluated by Sage;
- drift orders of the discrete steps: `O(lr)` at a fixed time for gradient descent
  ([KS2021]); Adam's steps leave `W(theta)`, so its drift is of order one.
"""
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from sage_conslaws import LinearNetwork, MLP, ReLUNetwork  # noqa: E402
from sage_conslaws.models.attention import Attention  # noqa: E402
from sage_conslaws.models.conv import ConvNetwork  # noqa: E402
from sage_conslaws.models.lora import LoRA  # noqa: E402
from sage_conslaws.models.resnet import ResNet, Residual as ResidualModel  # noqa: E402
from sage_conslaws.torch import LawMonitor, LoRALinear, Residual, architecture_of  # noqa: E402
from sage_conslaws.training.datasets import load_dataset  # noqa: E402
from sage.rings.rational_field import QQ  # noqa: E402


def _block(w, h, bias=True):
    return Residual(nn.Sequential(nn.Linear(w, h, bias=bias), nn.ReLU(),
                                  nn.Linear(h, w, bias=False)))


def _attention_forward(module, x):
    return module(x, x, x, need_weights=False)[0]


# (module, input size of the convolutions, input shape, forward, model built by widths, laws)
CASES = {
    "relu": (lambda: nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)), None, (5, 3),
             None, ReLUNetwork([3, 4, 2], bias=True), 4),
    "relu deep": (lambda: nn.Sequential(nn.Linear(3, 5, bias=False), nn.ReLU(),
                                        nn.Sequential(nn.Linear(5, 4, bias=False), nn.ReLU()),
                                        nn.Linear(4, 2)),
                  None, (5, 3), None, ReLUNetwork([3, 5, 4, 2]), 9),
    "linear": (lambda: nn.Sequential(nn.Linear(2, 3, bias=False), nn.Linear(3, 2, bias=False)),
               None, (5, 2), None, LinearNetwork([2, 3, 2]), 6),
    "leaky": (lambda: nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 2)), None,
              (5, 3), None, MLP([3, 4, 2], "leaky_relu", bias=True), 4),
    "identity": (lambda: nn.Sequential(nn.Linear(2, 3, bias=False), nn.Identity(),
                                       nn.Linear(3, 2, bias=False)),
                 None, (5, 2), None, LinearNetwork([2, 3, 2]), 6),
    "conv1d": (lambda: nn.Sequential(nn.Conv1d(1, 3, 2), nn.ReLU(), nn.Conv1d(3, 2, 2)), 6,
               (4, 1, 6), None, ConvNetwork([1, 3, 2], kernel=2, size=6, bias=True), 3),
    "conv2d": (lambda: nn.Sequential(nn.Conv2d(2, 2, 2, bias=False), nn.ReLU(),
                                     nn.Conv2d(2, 1, 2, bias=False)),
               (3, 3), (4, 2, 3, 3), None, ConvNetwork([2, 2, 1], kernel=2, size=(3, 3)), 2),
    "resnet": (lambda: nn.Sequential(_block(3, 2, bias=False), _block(3, 2, bias=False)), None,
               (5, 3), None, ResNet(3, 2, 2), 4),
    "residual": (lambda: _block(3, 4), None, (5, 3), None,
                 ResidualModel(ReLUNetwork([3, 4, 3], bias=True)), 4),
    "attention": (lambda: nn.MultiheadAttention(4, 2, bias=False, batch_first=True), None,
                  (2, 5, 4), _attention_forward, Attention(4, 2, 2, 4, heads=2), 12),
    "lora": (lambda: LoRALinear(4, 2, 3), None, (5, 4), None, LoRA(4, 2, 3), 3),
    "one layer": (lambda: nn.Linear(3, 2), None, (5, 3), None, LinearNetwork([3, 2]), 0),
}


def _built(name, seed=0):
    make, size, shape, forward, model, laws = CASES[name]
    torch.manual_seed(seed)
    module = make().double()
    for p in module.parameters():   # LoRA's B starts at 0; move every entry off special values
        with torch.no_grad():
            p.add_(0.3 * torch.randn_like(p))
    return module, size, shape, forward or (lambda m, x: m(x)), model, laws


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_architecture_read_from_a_module_counts_like_the_one_built_by_widths(name):
    module, size, _, _, by_widths, laws = _built(name)
    model, where = architecture_of(module, input_size=size)
    assert model == by_widths
    count = model.conservation_laws()
    assert count.is_certified() and count.number_of_laws() == laws
    assert by_widths.conservation_laws().number_of_laws() == laws


def _gathered_gradient(module, where, shape, forward):
    r"""
    Return `\theta` and `\nabla_\theta L` gathered by the map from the module's autograd.
    """
    torch.manual_seed(1)
    x = torch.randn(*shape, dtype=torch.float64)
    target = torch.randn_like(forward(module, x))
    loss = ((forward(module, x) - target) ** 2).sum() + forward(module, x).tanh().sum()
    module.zero_grad()
    loss.backward()
    theta = where.vector()
    gradient = torch.zeros_like(theta)
    for name, index in where.positions().items():
        kept = index >= 0
        gradient[index[kept]] = where.tensors()[name].grad[kept]
    return theta, gradient


def _pairings(monitor, theta, gradient, positions=None):
    theta = theta.clone().requires_grad_(True)
    values = monitor.values(theta if positions is None else theta[positions])
    rows = [torch.autograd.grad(v, theta, retain_graph=True)[0] for v in values]
    return [abs(float(r @ gradient)) / (float(r.norm() * gradient.norm()) or 1.0) for r in rows]


@pytest.mark.parametrize("name", sorted(n for n in CASES if CASES[n][-1]))
def test_the_map_places_each_parameter_where_torch_autograd_says(name):
    module, size, shape, forward, _, _ = _built(name)
    monitor = LawMonitor(module, input_size=size)
    theta, gradient = _gathered_gradient(module, monitor.parameter_map(), shape, forward)
    assert float(gradient.norm()) > 1e-3
    assert max(_pairings(monitor, theta, gradient)) < 1e-10
    # the check can fail: with two positions swapped, a law is no longer orthogonal
    best = 0.0
    for i in range(min(len(theta), 6)):
        swap = list(range(len(theta)))
        swap[i], swap[-1 - i] = swap[-1 - i], swap[i]
        best = max(best, max(_pairings(monitor, theta, gradient, torch.tensor(swap))))
    assert best > 1e-3


@pytest.mark.parametrize("name", ["relu", "conv1d", "attention", "lora", "resnet"])
def test_the_monitored_laws_are_the_engines_polynomials(name):
    module, size, _, _, _, _ = _built(name)
    monitor = LawMonitor(module, input_size=size)
    theta = monitor.parameter_map().vector()
    count = monitor.model().conservation_laws()
    point = [QQ(float(t)) for t in theta]   # exactly the float64 parameters
    engine = [float(h(*point)) for _, h in count.laws()]
    assert [name for name, _ in count.laws()] == monitor.names()
    assert np.allclose(monitor.values().tolist(), engine, rtol=1e-12, atol=1e-12)


def _iris(dtype=torch.float64):
    data = load_dataset("iris")
    return (torch.tensor(data.inputs, dtype=dtype),
            torch.tensor(np.asarray(data.targets)).argmax(dim=1))


def _train(optimizer, lr, steps, seed=0, dtype=torch.float64, penalty=0.0, batch=None, **options):
    x, y = _iris(dtype)
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).to(dtype)
    opt = optimizer(net.parameters(), lr=lr, **options)
    monitor = LawMonitor(net, opt, hook=True)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        rows = (torch.randperm(len(x), generator=generator)[:batch] if batch
                else slice(None))
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(x[rows]), y[rows])
        loss = loss + penalty * (net[0].weight ** 2).sum()
        loss.backward()
        opt.step()
    return monitor


def test_under_full_batch_gradient_descent_the_drift_halves_with_the_step():
    T = 4.0
    drifts = [max(_train(torch.optim.SGD, lr, int(round(T / lr))).drift().values())
              for lr in (0.1, 0.05, 0.025)]
    ratios = [drifts[k] / drifts[k + 1] for k in range(2)]
    assert all(1.8 < r < 2.2 for r in ratios), (drifts, ratios)


def test_under_adam_the_balancedness_drifts_far_more_than_under_sgd():
    sgd = _train(torch.optim.SGD, 0.01, 100)
    adam = _train(torch.optim.Adam, 0.01, 100)
    assert max(adam.drift().values()) > 100 * max(sgd.drift().values())
    assert adam.expected() is None and adam.flagged() == []
    assert "no law is conserved" in adam.report()


@pytest.mark.parametrize("options", [
    {}, {"momentum": 0.9}, {"weight_decay": 0.1}, {"momentum": 0.9, "nesterov": True},
    {"momentum": 0.5, "dampening": 0.3, "weight_decay": 0.05},
    {"momentum": 0.7, "nesterov": True, "weight_decay": 0.02, "maximize": False}])
def test_the_change_the_steps_explain_is_the_change_of_sgd(options):
    # mini-batches too: every batch's gradient lies in W(theta)
    monitor = _train(torch.optim.SGD, 0.02, 60, batch=32, **options)
    h = monitor.history()
    assert np.abs(h["values"] - h["predicted"]).max() < 1e-12
    assert monitor.flagged() == [] and max(monitor.drift().values()) > 0


def test_weight_decay_makes_the_laws_decay_as_the_flow_says():
    lam, lr, steps = 0.2, 0.01, 200
    monitor = _train(torch.optim.SGD, lr, steps, weight_decay=lam)
    h = monitor.history()
    big = np.abs(h["values"][0]) > 0.1
    # h(theta(t)) = h(theta_0) exp(-2 lambda t) along the flow, t = 2, to O(lr)
    ratios = h["values"][-1][big] / h["values"][0][big]
    assert np.abs(ratios - np.exp(-2 * lam * lr * steps)).max() < 0.02
    assert monitor.flagged() == []
    assert "exp(2*lambda*t)" in monitor.report()


def _schedule_run(warmup, record_after_schedule):
    x, y = _iris()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.8)
    schedule = (torch.optim.lr_scheduler.LambdaLR(opt, lambda k: min(1.0, k / 5)) if warmup
                else torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5))
    monitor = LawMonitor(net, opt)
    for _ in range(40):
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
        if record_after_schedule:
            schedule.step()
            monitor.step()
        else:
            monitor.step()
            schedule.step()
    return monitor


@pytest.mark.parametrize("warmup", [False, True])
@pytest.mark.parametrize("record_after_schedule", [False, True])
def test_a_step_size_schedule_is_followed(warmup, record_after_schedule):
    # the settings are read before each step: a record after scheduler.step() is right too,
    # and a warmup from a step size 0 (with momentum) is no division by 0
    monitor = _schedule_run(warmup, record_after_schedule)
    h = monitor.history()
    assert np.abs(h["values"] - h["predicted"]).max() < 1e-12
    if not warmup:
        assert h["time"][-1] == pytest.approx(10 * (0.05 + 0.025 + 0.0125 + 0.00625))


def test_a_monitor_built_when_training_resumes_reads_the_momentum_buffers():
    x, y = _iris()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)

    def train(steps):
        for _ in range(steps):
            opt.zero_grad()
            nn.functional.cross_entropy(net(x), y).backward()
            opt.step()

    train(5)
    monitor = LawMonitor(net, opt, hook=True)
    train(20)
    h = monitor.history()
    assert np.abs(h["values"] - h["predicted"]).max() < 1e-12


def test_steps_the_monitor_did_not_record_stop_the_prediction():
    x, y = _iris()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    monitor = LawMonitor(net, opt)
    for k in range(6):
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
        if k % 2:
            monitor.step()
    assert monitor.expected() is None and monitor.flagged() == []
    assert "monitor.step() must follow every optimizer step" in monitor.report()


def test_a_term_of_the_loss_outside_the_network_is_flagged_on_every_law_it_breaks():
    # an L2 penalty on the first layer breaks the 8 laws of the hidden neurons; under heavy
    # ball the change the steps explain is large, yet each law is flagged
    for options in ({}, {"momentum": 0.9}):
        monitor = _train(torch.optim.SGD, 0.02, 100, penalty=0.003, **options)
        assert sorted(monitor.flagged()) == sorted(monitor.names())
        assert "FAR ABOVE" in monitor.report()


def test_in_float32_the_rounding_allowance_is_per_law():
    monitor = _train(torch.optim.SGD, 0.05, 50, dtype=torch.float32)
    assert monitor.values().dtype == torch.float32
    assert monitor.flagged() == []
    # the unexplained change is rounding, below the allowance of each law
    gap, allowance = monitor.unexplained(), monitor.rounding()
    assert all(gap[name] <= allowance[name] for name in monitor.names())
    flagged = _train(torch.optim.SGD, 0.05, 50, dtype=torch.float32, penalty=0.005).flagged()
    assert len(flagged) == 8


def test_adam_and_other_optimizers_are_measured_not_predicted():
    adam = _train(torch.optim.Adam, 0.01, 5)
    assert adam.why_not_predicted() == "adam steps are measured, not predicted"
    rmsprop = _train(torch.optim.RMSprop, 0.001, 5)
    assert rmsprop.settings().kind() == "unknown" and rmsprop.flagged() == []


def test_different_settings_per_parameter_group_are_a_metric():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    opt = torch.optim.SGD([{"params": net[0].parameters(), "lr": 0.1},
                           {"params": net[2].parameters()}], lr=0.01)
    monitor = LawMonitor(net, opt)
    assert monitor.settings().kind() == "mixed"
    assert "diagonal metric" in monitor.report()
    # the bias of the output layer is not a parameter of the model: its group does not count
    opt = torch.optim.SGD([{"params": [net[0].weight, net[0].bias, net[2].weight]},
                           {"params": [net[2].bias], "weight_decay": 0.0, "lr": 1.0}], lr=0.01)
    assert LawMonitor(net, opt).settings().kind() == "sgd"


def test_an_optimizer_that_trains_part_of_the_model_is_refused():
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    with pytest.raises(ValueError, match="the optimizer does not train 1 of the model's 3 "
                                         "tensors"):
        LawMonitor(net, torch.optim.SGD([net[0].weight, net[0].bias], lr=0.1))


def test_a_figure_and_a_report(tmp_path):
    monitor = _train(torch.optim.SGD, 0.05, 30, momentum=0.5)
    path = tmp_path / "laws.png"
    monitor.plot(str(path))
    assert path.stat().st_size > 10_000
    report = monitor.report()
    assert report.splitlines()[0] == (
        "8 laws of ReLUNetwork([4, 8, 3], bias=True) with 64 parameters "
        "(certified: all the laws), 30 steps")
    assert "amplified by (1+beta)/(1-beta)^2 = 6" in report
    with pytest.raises(ValueError, match="must end with .png"):
        monitor.plot(str(tmp_path / "laws.txt"))


@pytest.mark.parametrize("module, size, message", [
    (nn.Sequential(nn.Linear(2, 3), nn.LayerNorm(3), nn.Linear(3, 1)), None,
     "cannot read layer 1 of the Sequential, a LayerNorm: sage_conslaws.torch reads"),
    (nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.1), nn.Linear(3, 1)), None,
     "layer 1 of the Sequential, a Dropout"),
    (nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.ReLU(), nn.Linear(3, 1)), None,
     "layer 2 of the Sequential, a ReLU: two activations in a row"),
    (nn.Sequential(nn.Linear(2, 3), nn.ReLU()), None, "an activation after the last layer"),
    (nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1)), None,
     "layer 1 of the Sequential, a Linear: it takes 4 inputs, the layer before gives 3"),
    (nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 3, bias=False), nn.ReLU(),
                   nn.Linear(3, 1)), None, "biases on every hidden layer or on none"),
    (nn.Sequential(nn.Conv1d(1, 2, 2), nn.ReLU(), nn.Conv1d(2, 1, 2)), None,
     "needs the size of its input"),
    (nn.Sequential(nn.Conv1d(1, 2, 2), nn.ReLU(), nn.Conv1d(2, 1, 3)), 8,
     "one kernel size, stride and padding"),
    (nn.Sequential(nn.Conv1d(1, 2, 2, dilation=2), nn.ReLU(), nn.Conv1d(2, 1, 2)), 8,
     "dilation=1"),
    (nn.MultiheadAttention(4, 2), None, "has no biases"),
    (nn.MultiheadAttention(4, 2, bias=False, dropout=0.1), None, "dropout"),
    (nn.Sequential(Residual(nn.Linear(2, 2))), None, "a block of a ResNet is"),
    (nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1)), None, "a Tanh"),
    (nn.Sequential(nn.Identity()), None, "no trained layer"),
    (nn.Sequential(_block(2, 3), nn.ReLU(), _block(2, 3)), None,
     "layer 1 of the Sequential, a ReLU: a ResNet is a Sequential of Residual blocks only"),
    (nn.Sequential(nn.Conv1d(1, 2, 2), nn.ReLU(), nn.Conv1d(2, 1, 2)), (8, 8),
     "the input size of nn.Conv1d layers is an integer"),
])
def test_a_layer_it_cannot_read_is_named_with_its_position(module, size, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")) as error:
        architecture_of(module, input_size=size)
    assert "\n" not in str(error.value)


def test_a_module_used_twice_is_refused():
    act, layer = nn.ReLU(), nn.Linear(3, 3)
    with pytest.raises(ValueError, match="uses one module twice \\('1' and '3', a ReLU\\)"):
        architecture_of(nn.Sequential(nn.Linear(3, 4), act, nn.Linear(4, 4), act,
                                      nn.Linear(4, 2)))
    with pytest.raises(ValueError, match="uses one module twice"):
        architecture_of(nn.Sequential(layer, layer))


def test_tied_and_computed_weights_are_refused():
    shared = nn.Sequential(nn.Linear(3, 3, bias=False), nn.ReLU(), nn.Linear(3, 3, bias=False))
    shared[2].weight = shared[0].weight
    with pytest.raises(ValueError, match="are one tensor \\(tied weights\\)"):
        architecture_of(shared)
    normed = nn.Sequential(nn.utils.parametrizations.weight_norm(nn.Linear(3, 4)), nn.ReLU(),
                           nn.Linear(4, 2))
    with pytest.raises(ValueError, match="a ParametrizedLinear: a subclass of nn.Linear"):
        architecture_of(normed)
    with pytest.warns(FutureWarning):   # the old weight_norm keeps the class, not the tensor
        old = nn.Sequential(nn.utils.weight_norm(nn.Linear(3, 4)), nn.ReLU(), nn.Linear(4, 2))
    with pytest.raises(ValueError, match="no tensor '0.weight' \\(its parameters are computed"):
        architecture_of(old)


def test_frozen_parameters_are_refused():
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    net[0].weight.requires_grad_(False)
    with pytest.raises(ValueError, match="its tensor '0.weight' does not train"):
        architecture_of(net)
    lora = LoRALinear(3, 1, 2)
    lora.lora_A.requires_grad_(False)
    with pytest.raises(ValueError, match="its tensor 'lora_A' does not train"):
        architecture_of(lora)


def test_a_subclass_is_never_read_as_its_base():
    class Squared(nn.Linear):
        def forward(self, x):
            return super().forward(x) ** 2

    with pytest.raises(ValueError, match="a Squared: a subclass of nn.Linear, whose forward may "
                                         "differ"):
        architecture_of(nn.Sequential(Squared(2, 3), nn.ReLU(), nn.Linear(3, 1)))


def test_a_module_with_its_own_forward_is_refused():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(2, 1)

        def forward(self, x):
            return self.layer(x) ** 2

    with pytest.raises(ValueError, match="cannot read the module, a Net"):
        architecture_of(Net())


def test_a_lora_layer_with_a_trained_base_is_refused():
    layer = LoRALinear(3, 1, 2)
    layer.base.weight.requires_grad_(True)
    with pytest.raises(ValueError, match="must be frozen"):
        architecture_of(layer)


def test_the_hook_records_each_step_and_can_be_removed():
    monitor = _train(torch.optim.SGD, 0.05, 7)
    assert monitor.history()["step"] == list(range(8))
    monitor.remove()


def test_only_the_torch_subpackage_imports_torch():
    script = ("import sys\n"
              "from sage_conslaws import ReLUNetwork\n"
              "from sage_conslaws.interface.cli import main\n"
              "assert ReLUNetwork([3, 4, 2]).conservation_laws().number_of_laws() == 4\n"
              "main(['count', 'relu', '3,4,2', '--bias', '--json'])\n"
              "import sage_conslaws.training, sage_conslaws.studies\n"
              "assert 'torch' not in sys.modules, 'torch was imported'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr


def test_a_network_beyond_a_polynomial_ring_is_watched_with_its_known_laws():
    # 109,376 parameters: no polynomial ring (at most 32767 variables), and an exact count
    # beyond reach (a rank of about D x D values); its 192 per-neuron laws are quadratic
    # forms read from its layers
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                        nn.Linear(64, 10)).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    monitor = LawMonitor(net, opt, hook=True)
    assert monitor.model().dimension() == 109376 and len(monitor.names()) == 192
    assert not monitor.laws().is_certified()
    assert "the values of 109186 brackets on R^109376" in monitor.report()
    x, y = torch.randn(32, 784, dtype=torch.float64), torch.randint(0, 10, (32,))
    theta, gradient = _gathered_gradient(net, monitor.parameter_map(), (32, 784),
                                         lambda m, z: m(z))
    assert max(_pairings(monitor, theta, gradient)) < 1e-10
    for _ in range(5):
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    h = monitor.history()
    assert np.abs(h["values"] - h["predicted"]).max() < 1e-12
    assert monitor.flagged() == [] and max(monitor.drift().values()) > 0


def test_a_network_beyond_a_polynomial_ring_is_watched_with_all_its_laws_proven():
    # 40,000 parameters, no polynomial ring; phi = w2 . w1 has one gradient field, so the
    # 2h - 1 = 39,999 laws (of the h(h+1)/2 entries of W1 W1^T - W2^T W2) are all the laws
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(1, 20000, bias=False), nn.Linear(20000, 1, bias=False)).double()
    opt = torch.optim.SGD(net.parameters(), lr=1e-3)
    monitor = LawMonitor(net, opt, hook=True)
    assert monitor.laws().is_certified() and len(monitor.names()) == 39999
    x = torch.randn(16, 1, dtype=torch.float64)
    for _ in range(3):
        opt.zero_grad()
        ((net(x) - 2 * x)**2).mean().backward()
        opt.step()
    h = monitor.history()
    assert np.abs(h["values"] - h["predicted"]).max() < 1e-12
    # the entries kept are those on the rows and columns of the two pivots
    assert "W1 W1^T - W2^T W2 [5,9]" not in monitor.names() and monitor.flagged() == []


def _iris_steps(monitor, net, opt, steps, between=None, loss_to_monitor=False):
    x, y = _iris(next(net.parameters()).dtype)
    for k in range(steps):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        if loss_to_monitor:
            monitor.step(loss)
        if between is not None:
            between(k)


def _small_net(dtype=torch.float64):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)).to(dtype)


def test_edits_through_data_between_steps_stop_the_prediction():
    net = _small_net()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    monitor = LawMonitor(net, opt, hook=True)
    _iris_steps(monitor, net, opt, 6, between=lambda k: k == 2 and net[0].weight.data.add_(0.1))
    assert "the parameters changed without a recorded step" in monitor.why_not_predicted()
    assert monitor.flagged() == []


def test_a_step_without_gradients_stops_the_prediction():
    net = _small_net()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    monitor = LawMonitor(net, opt, hook=True)
    _iris_steps(monitor, net, opt, 5)
    opt.zero_grad()
    opt.step()   # torch moves no tensor without a gradient; momentum would have
    assert "no gradient" in monitor.why_not_predicted() and monitor.flagged() == []


def test_with_a_hook_the_loss_joins_the_record_of_its_step():
    net = _small_net()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    monitor = LawMonitor(net, opt, hook=True)
    _iris_steps(monitor, net, opt, 5, loss_to_monitor=True)
    h = monitor.history()
    assert h["step"] == list(range(6)) and [k for k, _ in h["loss"]] == [1, 2, 3, 4, 5]
    assert h["time"][-1] == pytest.approx(5 * 0.05)
    assert monitor.is_predicted()
    assert np.abs(h["values"] - h["predicted"]).max() < 1e-12


def test_a_diverged_run_is_flagged():
    net = _small_net(torch.float32)
    opt = torch.optim.SGD(net.parameters(), lr=1e4, momentum=0.99)
    monitor = LawMonitor(net, opt, hook=True)
    _iris_steps(monitor, net, opt, 30)
    assert not np.isfinite(monitor.history()["values"][-1]).all()
    assert monitor.flagged() == monitor.names()
