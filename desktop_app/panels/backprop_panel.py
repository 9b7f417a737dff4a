"""Backpropagation made visible: the next training step of the live 2x2 network, worked
out with its own numbers (the lecture's "do backpropagation and update weights").

For the image selected in the dataset it shows the forward pass, the loss pixel by
pixel, the chain rule of any weight or bias (picked in the list or clicked on the
diagram) with every factor's number, the batch gradient the optimiser really uses, and
the optimiser's update. Every number comes from ``engine.lecture.backprop``; when the step
cannot be worked out (training diverged) a message says why instead.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop_app.backprop_source import source_for
from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.panels.backprop_widgets import ChainView, EquationRows, heading, muted, table_html
from desktop_app.panels.widgets import FormulaLabel, MessageLabel, TeachingPanel, name_widget
from desktop_app.theme import Theme
from engine.core.config import MODEL_TITLES
from engine.lecture.backprop import Backprop, Update, parameter_keys, parameter_name, sub

LOSS_TITLES = {"mse": "MSE", "logloss": "log-loss"}
DEFAULT_PARAMETER = "decoder.weight[0,0]"


class BackpropPanel(TeachingPanel):
    """One step of gradient descent, factor by factor, for the live model."""

    parameterSelected = Signal(str)  # the weight or bias whose chain rule is shown

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(controller, theme, "backpropPanel", "Backpropagation", parent)
        self._key = DEFAULT_PARAMETER
        self._model: str | None = None
        self.breakdown: Backprop | None = None
        self._pinned: Backprop | None = None  # a slow step under way shows its own step

        formula = FormulaLabel(theme, self.body)
        formula.set_formula("∂L/∂w = ∂L/∂y · ∂y/∂s · ∂s/∂w",
                            "Backpropagation: how much the loss changes with a weight is a product of factors "
                            "along the path from that weight to the loss. The optimiser then moves every "
                            "weight against its gradient.")
        self.content.addWidget(formula)
        self.info = name_widget(muted(theme, "", self.body, 1.0), "backpropInfo")
        self.content.addWidget(self.info)
        self.message = MessageLabel(theme, "backpropMessage", self.body)
        self.content.addWidget(self.message)

        self.sections = QWidget(self.body)
        self.content.addWidget(self.sections)
        box = QVBoxLayout(self.sections)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(int(8 * theme.scale))
        self.headings = {"forward": heading(theme, "1. Forward pass", self.sections),
                         "loss": heading(theme, "2. Loss", self.sections),
                         "backward": heading(theme, "3. Backward: the chain rule", self.sections),
                         "update": heading(theme, "4. Update", self.sections)}
        box.addWidget(self.headings["forward"])
        self.forward = name_widget(QLabel(self.sections), "forwardTable")
        self.latent = name_widget(QLabel(self.sections), "latentTable")
        for table in (self.forward, self.latent):
            table.setFont(theme.font(1.0))
            box.addWidget(table)
        box.addWidget(self.headings["loss"])
        self.loss_table = name_widget(QLabel(self.sections), "lossTable")
        self.loss_table.setFont(theme.font(1.0))
        box.addWidget(self.loss_table)
        self.loss_rows = EquationRows(theme, self.sections)
        box.addWidget(self.loss_rows)

        box.addWidget(self.headings["backward"])
        picker = QHBoxLayout()
        picker_label = QLabel("Weight or bias:", self.sections)
        picker_label.setFont(theme.font(1.05))
        self.parameter_combo = name_widget(QComboBox(self.sections), "parameterCombo")
        self.parameter_combo.setFont(theme.font(1.05))
        self.parameter_combo.setToolTip("Pick a weight or bias, or click an edge or a node on the network diagram.")
        picker_label.setBuddy(self.parameter_combo)
        picker.addWidget(picker_label)
        picker.addWidget(self.parameter_combo, 1)
        box.addLayout(picker)
        box.addWidget(muted(theme, "Or click an edge (a weight) or a node (its bias) on the network diagram.",
                            self.sections, 0.95))
        self.rule_formula = name_widget(QLabel(self.sections), "ruleFormula")
        self.rule_formula.setFont(theme.font(1.3))
        self.rule_formula.setWordWrap(True)
        box.addWidget(self.rule_formula)
        self.chain = ChainView(theme, self.sections)
        box.addWidget(self.chain)
        self.batch_rows = EquationRows(theme, self.sections)
        box.addWidget(self.batch_rows)

        box.addWidget(self.headings["update"])
        self.update_rows = EquationRows(theme, self.sections)
        box.addWidget(self.update_rows)
        self.reading = name_widget(muted(theme, "", self.sections, 1.0), "updateReading")
        box.addWidget(self.reading)
        self.content.addStretch(1)
        self.parameter_combo.currentIndexChanged.connect(self._combo_changed)

    # ----- choosing a weight ------------------------------------------------------------------
    @property
    def parameter(self) -> str:
        return self._key

    def select_parameter(self, key: str) -> None:
        """Show the chain rule of ``key`` ('decoder.weight[1,0]'); clicks on the diagram call this."""
        index = self.parameter_combo.findData(key)
        if index < 0:
            return
        self._key = key
        if index != self.parameter_combo.currentIndex():
            self.parameter_combo.setCurrentIndex(index)  # renders through _combo_changed
        else:
            self.catch_up()
        self.parameterSelected.emit(key)

    def scroll_to(self, section: str) -> None:
        """Bring a section to the top of the panel: 'forward', 'loss', 'backward' or 'update'."""
        scroll = self.findChild(QScrollArea)
        self.body.layout().activate()  # positions as they will be drawn
        top = self.headings[section].mapTo(self.body, QPoint(0, 0)).y()
        scroll.verticalScrollBar().setValue(max(0, top - int(4 * self.theme.scale)))

    def _combo_changed(self, index: int) -> None:
        key = self.parameter_combo.itemData(index)
        if key and key != self._key:
            self._key = key
            self.parameterSelected.emit(key)
        self.catch_up()

    def _fill_combo(self, model: str) -> None:
        if model == self._model:
            return
        self._model = model
        keys = parameter_keys(model)
        if self._key not in keys:
            self._key = DEFAULT_PARAMETER
        combo = self.parameter_combo
        combo.blockSignals(True)
        combo.clear()
        for key in keys:
            combo.addItem(parameter_name(key, model), key)
        combo.setCurrentIndex(combo.findData(self._key))
        combo.blockSignals(False)

    def pin(self, breakdown: Backprop | None) -> None:
        """Show this step (the slow step under way) until unpinned, even after its update."""
        self._pinned = breakdown
        self.catch_up()

    # ----- rendering ------------------------------------------------------------------------------
    def render_live(self) -> None:
        try:
            b = self._pinned or source_for(self.controller).current()
        except ValueError as exc:
            self.breakdown = None
            self.message.show_message(str(exc))
            self.sections.hide()
            self.info.setText(f"Epoch {self.controller.snapshot.epoch}: the step cannot be worked out.")
            return
        self.breakdown = b
        self.message.clear_message()
        self.sections.show()
        self._fill_combo(b.config.model)
        n = min(self.controller.selected_index, len(b.inputs) - 1)
        self.info.setText(_info(b, n))
        self.forward.setText(_forward_table(self.theme, b, n))
        self.latent.setText(_latent_table(self.theme, b, n))
        self.loss_table.setText(_loss_table(self.theme, b, n))
        self.loss_rows.set_rows(_loss_rows(b, n))
        rule = b.chain_rule(self._key, n)
        self.rule_formula.setText(f"<b>{rule.name}</b>: {rule.formula}")
        self.chain.show_chain(rule.factors, rule.value, rule.formula.split(" =")[0])
        count, symbol = len(b.inputs), rule.formula.split(" =")[0]
        self.batch_rows.set_rows([
            ("imageGradient", f"{symbol} for image {n + 1} (the product above)", fmt.result(rule.value)),
            ("batchGradient", f"{symbol} for the whole batch: the mean over its {count} images "
                              "(the loss is their mean), what the optimiser uses", fmt.result(rule.batch)),
        ])
        update = b.update(self._key)
        self.update_rows.set_rows(_update_rows(update))
        self.reading.setText(update.reading)


def _info(b: Backprop, n: int) -> str:
    c = b.config
    optimiser = "Adam" if c.optimizer == "adam" else "plain gradient descent (SGD)"
    text = (f"The step from epoch {b.state.epoch} to {b.state.epoch + 1}: the {MODEL_TITLES[c.model].lower()} "
            f"trained with {LOSS_TITLES[c.loss]} and {optimiser}, η = {fmt.value(c.learning_rate, 6)}. "
            f"Image {n + 1} of {len(b.inputs)} (choose another in the dataset); the optimiser uses all of them.")
    if c.model == "dae":
        text += " The denoiser is fed a noisy copy x̃ (the noise this step draws); its loss compares y with the clean x."
    elif c.model == "vae":
        text += (f" The VAE samples z = μ + σ·ε with the ε this step draws, and its loss adds β·KL "
                 f"(β = {fmt.value(c.beta)}).")
    return text


def _cells(values) -> list[str]:
    return [fmt.result(float(v)) for v in values]


def _forward_table(theme: Theme, b: Backprop, n: int) -> str:
    header = [f"pixel {i + 1}" for i in range(4)]
    rows = [("x, the image", _cells(b.targets[n]))]
    if b.config.model == "dae":
        rows.append(("x̃, fed to the network (noisy)", _cells(b.inputs[n])))
    rows += [("s = V z + c, each output's weighted sum", _cells(b.output_sums[n])),
             ("y = σ(s), the output", _cells(b.outputs[n]))]
    return table_html(theme, header, rows)


def _latent_table(theme: Theme, b: Backprop, n: int) -> str:
    header = [f"z{sub(j)}" for j in range(2)]
    if b.is_variational:
        rows = [("μ = Wμ x + bμ, the mean", _cells(b.mu[n])),
                ("ln σ² = Wλ x + bλ", _cells(b.log_var[n])),
                ("σ = exp(½ ln σ²), the spread", _cells(b.sigma[n])),
                ("ε, drawn from N(0, 1) this step", _cells(b.eps[n])),
                ("z = μ + σ·ε, the sample decoded", _cells(b.latent[n]))]
    else:
        fed = "x̃" if b.config.model == "dae" else "x"
        rows = [(f"h = W {fed} + b, each latent unit's weighted sum", _cells(b.hidden_sums[n])),
                ("z = σ(h), the latent code", _cells(b.latent[n]))]
    return table_html(theme, header, rows)


def _loss_table(theme: Theme, b: Backprop, n: int) -> str:
    header = [f"pixel {i + 1}" for i in range(4)]
    if b.config.loss == "mse":
        term, slope = "(y − x)², this pixel's loss", "∂L/∂y = 2(y − x)"
    else:
        term, slope = "−x ln y − (1 − x) ln(1 − y)", "∂L/∂y = (y − x) / (y(1 − y))"
    rows = [("x, the target", _cells(b.targets[n])), ("y, the output", _cells(b.outputs[n])),
            (term, _cells(b.pixel_terms[n])), (slope, _cells(b.d_outputs[n]))]
    html = table_html(theme, header, rows)
    if b.is_variational:
        units = [f"z{sub(j)}" for j in range(2)]
        html += table_html(theme, units, [
            ("KL = ½(μ² + σ² − 1 − ln σ²)", _cells(b.kl_terms[n])),
            ("∂KL/∂μ = μ", _cells(b.kl_d_mu[n])),
            ("∂KL/∂ln σ² = ½(σ² − 1)", _cells(b.kl_d_log_var[n]))])
    return html


def _loss_rows(b: Backprop, n: int) -> list[tuple[str, str, str]]:
    terms = " + ".join(fmt.signed(float(v)) for v in b.pixel_terms[n])
    name = "MSE" if b.config.loss == "mse" else "log-loss"
    rows = [("reconstruction", f"{name} of image {n + 1}, summed over its pixels: {terms}",
             fmt.result(float(b.pixel_terms[n].sum())))]
    if b.is_variational:
        kl = float(b.kl_terms[n].sum())
        rows += [("kl", f"KL of image {n + 1}: " + " + ".join(fmt.signed(float(v)) for v in b.kl_terms[n]),
                  fmt.result(kl)),
                 ("imageLoss", f"its loss: {name} + β·KL = {fmt.result(float(b.pixel_terms[n].sum()))} + "
                               f"{fmt.value(b.config.beta)} · {fmt.result(kl)}", fmt.result(float(b.image_losses[n])))]
    rows.append(("batchLoss", f"L, the batch's loss: the mean over its {len(b.inputs)} images",
                 fmt.result(b.loss)))
    return rows


def _update_rows(u: Update) -> list[tuple[str, str, str]]:
    w, g, eta = fmt.result(u.weight), fmt.signed(u.gradient), fmt.value(u.learning_rate, 6)
    if u.optimizer == "sgd":
        return [("weightNow", "w now", fmt.result(u.weight)),
                ("newWeight", f"w ← w − η·∂L/∂w = {w} − {eta} · {g}", fmt.result(u.new_weight))]
    b1, b2 = fmt.value(u.betas[0]), fmt.value(u.betas[1])
    return [
        ("weightNow", "w now", fmt.result(u.weight)),
        ("adamStep", "t, Adam's step count with this step", str(u.step)),
        ("adamM", f"m ← β₁·m + (1 − β₁)·g = {b1} · {fmt.signed(u.m_before)} + {fmt.value(1 - u.betas[0])} · {g}, "
                  "the running mean of gradients", fmt.result(u.m)),
        ("adamV", f"v ← β₂·v + (1 − β₂)·g² = {b2} · {fmt.signed(u.v_before)} + {fmt.value(1 - u.betas[1])} · {g}², "
                  "the running mean of squared gradients", fmt.result(u.v)),
        ("adamMHat", f"m<sub>c</sub> = m / (1 − β₁ᵗ), m corrected for its start at 0 = {fmt.signed(u.m)} / "
                     f"{fmt.result(u.correction1)}", fmt.result(u.m_hat)),
        ("adamVHat", f"v<sub>c</sub> = v / (1 − β₂ᵗ), v corrected the same way = {fmt.result(u.v)} / "
                     f"{fmt.result(u.correction2)}", fmt.result(u.v_hat)),
        ("updateDelta", f"Δw = −η · m<sub>c</sub> / (√v<sub>c</sub> + ε) = −{eta} · {fmt.signed(u.m_hat)} / "
                        f"(√{fmt.result(u.v_hat)} + {fmt.result(u.eps)})", fmt.result(u.delta)),
        ("newWeight", f"w ← w + Δw = {w} + {fmt.signed(u.delta)}", fmt.result(u.new_weight)),
        ("plainStep", f"for comparison, plain gradient descent: −η·g = −{eta} · {g}", fmt.result(u.plain_delta)),
    ]
