# Misconception torch-bn-detached-stats: μ and σ² computed on x.detach(), so autograd
# treats them as constants; the forward values are right, the gradients are not.
class BatchNorm1d(BatchNorm1d):
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            xd = x.detach()
            mean = xd.mean(dim=0)
            var = ((xd - mean) ** 2).mean(dim=0)
            with torch.no_grad():
                self.num_batches_tracked.add_(1)
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mean.detach())
                self.running_var.mul_(1 - m).add_(m * var.detach() * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean) / torch.sqrt(var + self.eps)
        return x_hat * self.weight + self.bias
