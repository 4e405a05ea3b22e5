# Misconception torch-bn-eval-batch-stats: eval mode normalises with the batch's statistics.
class BatchNorm1d(BatchNorm1d):
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(dim=0)
            var = ((x - mean) ** 2).mean(dim=0)
            with torch.no_grad():
                self.num_batches_tracked.add_(1)
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mean.detach())
                self.running_var.mul_(1 - m).add_(m * var.detach() * n / (n - 1))
        else:
            mean = x.mean(dim=0)
            var = ((x - mean) ** 2).mean(dim=0)
        x_hat = (x - mean) / torch.sqrt(var + self.eps)
        return x_hat * self.weight + self.bias
