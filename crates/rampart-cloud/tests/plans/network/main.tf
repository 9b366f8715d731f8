variable "cidr" {
  default = "10.40.0.0/16"
}

variable "admin_ports" {
  default = { ssh = 22, rdp = 3389 }
}

locals {
  zones   = ["a", "b", "c"]
  subnets = { for index, zone in local.zones : zone => cidrsubnet(var.cidr, 8, index) }
  office  = cidrhost("203.0.113.0/24", 10)
}

resource "aws_vpc" "main" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags                 = { Name = "main" }
}

resource "aws_subnet" "zone" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value
  availability_zone = "eu-west-1${each.key}"
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "administration from the office"
  vpc_id      = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.admin_ports
    iterator = port
    content {
      description = "${port.key} from the office"
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["${local.office}/32"]
    }
  }

  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_security_group_rule" "https" {
  count             = 2
  type              = "ingress"
  from_port         = 443 + count.index * 7000
  to_port           = 443 + count.index * 7000
  protocol          = "tcp"
  cidr_blocks       = [count.index == 0 ? "0.0.0.0/0" : var.cidr]
  security_group_id = aws_security_group.admin.id
}
