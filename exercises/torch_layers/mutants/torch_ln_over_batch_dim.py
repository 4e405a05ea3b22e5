# Misconception torch-ln-over-batch-dim: statistics over dim 0 (the batch) instead of the last dim.
class LayerNorm(LayerNorm):
    def forward(self, x):
        mean = x.mean(dim=0, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=0, keepdim=True)
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
